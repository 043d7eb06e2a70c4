import { trace } from "@opentelemetry/api";
import { KIT_TRACER_NAME } from "../tracing/with-span.ts";

export const eventsTracer = () => trace.getTracer(KIT_TRACER_NAME);
