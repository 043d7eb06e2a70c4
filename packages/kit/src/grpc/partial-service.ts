import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { AppError, Code } from "../errors/index.ts";
import type { ServiceImplementation } from "./service-types.ts";

/**
 * A whole implementation of `service` from the handlers given; every other method answers
 * UNIMPLEMENTED, naming itself, as grpc-go's generated `Unimplemented<Service>Server` does. For
 * fakes and fixtures, and for a service that grows one method at a time.
 */
export function partialService<S extends DescService>(
  service: S,
  handlers: Partial<ServiceImplementation<S>>,
): ServiceImplementation<S> {
  const given = handlers as Record<string, unknown>;
  const whole: Record<string, unknown> = {};
  for (const method of service.methods) {
    whole[method.localName] = given[method.localName] ?? unimplementedHandler(method);
  }
  return whole as ServiceImplementation<S>;
}

function unimplementedHandler(method: DescMethod): unknown {
  const refusal = () =>
    new AppError({
      code: Code.UNIMPLEMENTED,
      reason: "UNIMPLEMENTED",
      message: `${method.parent.typeName}/${method.name} is not implemented`,
    });
  if (method.methodKind === "server_streaming") {
    // A stream that fails before its first message.
    return () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(refusal()) }) });
  }
  return () => Promise.reject(refusal());
}
