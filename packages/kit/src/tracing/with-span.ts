import { type Attributes, type Exception, type Span, SpanStatusCode, trace } from "@opentelemetry/api";

/** The instrumentation scope of spans the application starts itself. */
export const KIT_TRACER_NAME = "@orderly/kit";

/**
 * Runs `fn` inside a new active span (a child of the current one): log lines and outgoing calls
 * made in `fn` belong to it. An exception is recorded and marks the span as an error, then
 * propagates; the span ends in every case. Attributes must hold no secrets or personal data.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  return trace.getTracer(KIT_TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Marks `span` as failed by `error`: the exception recorded as a span event, the status ERROR with
 * `message` (the error's own message by default). Callers that keep going after a failure (a
 * consumer that will redeliver) use it as well as withSpan.
 */
export function failSpan(
  span: Span,
  error: unknown,
  message = error instanceof Error ? error.message : String(error),
): void {
  span.recordException(toException(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function toException(error: unknown): Exception {
  if (error instanceof Error || typeof error === "string") return error;
  return { message: String(error) };
}
