import type { DescService } from "@bufbuild/protobuf";
import { AppError, Code } from "@orderly/kit/errors";
import { GrpcServer, type ServiceImplementation } from "@orderly/kit/grpc";
import { Health, Lifecycle } from "@orderly/kit/health";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import { onTestFinished } from "vitest";

/**
 * A real kit GrpcServer on 127.0.0.1:0 serving only the handlers a test gives (the rest answer
 * UNIMPLEMENTED), so errors reach the client encoded exactly as the services encode them.
 */
export async function fakeServer<S extends DescService>(
  service: S,
  handlers: Partial<ServiceImplementation<S>>,
): Promise<string> {
  const log = createLogger({ service: "fake", version: "0", instance: "fake", level: "silent" });
  const metrics = createMetrics({ service: "fake", version: "0", collectDefault: false });
  const lifecycle = new Lifecycle();
  const health = new Health({ lifecycle, service: "fake", version: "0", instance: "fake" });
  lifecycle.moveTo("SERVING");
  const server = new GrpcServer({ log, metrics, health, service: "fake", reflection: false });
  const impl: Record<string, unknown> = {};
  for (const method of service.methods) {
    impl[method.localName] =
      (handlers as Record<string, unknown>)[method.localName] ??
      (async () => {
        throw new AppError({
          code: Code.UNIMPLEMENTED,
          reason: "UNIMPLEMENTED",
          message: "not in this fake",
        });
      });
  }
  server.add(service, impl as ServiceImplementation<S>);
  const port = await server.listen("127.0.0.1", 0);
  onTestFinished(() => server.drain(0));
  return `127.0.0.1:${port}`;
}
