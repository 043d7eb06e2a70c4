import * as grpc from "@grpc/grpc-js";

export interface RawCallOutcome {
  /** The gRPC status code the call ended with (0 OK). */
  code: number;
  details: string;
}

/**
 * An empty request to any method, unary or server-streaming, with the given metadata; resolves
 * with the status it ended with (a stream is cancelled at its first message, which counts as OK).
 * For tests of what guards every method: authentication, allowlists.
 */
export function rawCall(
  target: string,
  path: string,
  options: { streaming?: boolean; metadata?: Record<string, string> } = {},
): Promise<RawCallOutcome> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const identity = (b: Buffer) => b;
  return new Promise((resolve) => {
    let settled = false;
    const done = (code: number, details: string) => {
      if (settled) return;
      settled = true;
      client.close();
      resolve({ code, details });
    };
    if (options.streaming) {
      const stream = client.makeServerStreamRequest(path, identity, identity, Buffer.alloc(0), metadata, {});
      stream.on("data", () => {
        done(grpc.status.OK, "");
        stream.cancel();
      });
      stream.on("error", (e: grpc.ServiceError) => done(e.code, e.details));
      stream.on("end", () => done(grpc.status.OK, ""));
    } else {
      client.makeUnaryRequest(path, identity, identity, Buffer.alloc(0), metadata, {}, (error) =>
        done(error?.code ?? grpc.status.OK, error?.details ?? ""),
      );
    }
  });
}
