import * as grpc from "@grpc/grpc-js";

/** Raw bytes to a method, so a test can send what a typed client never would (malformed protobuf). */
export function rawUnary(target: string, path: string, body: Buffer): Promise<grpc.ServiceError | Buffer> {
  const raw = new grpc.Client(target, grpc.credentials.createInsecure());
  const identity = (b: Buffer) => b;
  return new Promise((resolve) => {
    raw.makeUnaryRequest(path, identity, identity, body, new grpc.Metadata(), {}, (error, value) => {
      raw.close();
      resolve(error ?? (value as Buffer));
    });
  });
}
