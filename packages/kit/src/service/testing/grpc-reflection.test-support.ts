import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import * as grpc from "@grpc/grpc-js";

/**
 * What `grpcurl -plaintext <target> list` shows: one grpc.reflection.v1 ServerReflectionInfo call with
 * a list_services request, decoded by hand (no reflection stubs needed). Sorted service names.
 */
export async function listServicesByReflection(target: string): Promise<string[]> {
  const raw = new grpc.Client(target, grpc.credentials.createInsecure());
  const identity = (b: Buffer) => b;
  const call = raw.makeBidiStreamRequest<Buffer, Buffer>(
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    identity,
    identity,
    new grpc.Metadata(),
  );
  // ServerReflectionRequest.list_services = 7
  call.write(Buffer.from(new BinaryWriter().tag(7, WireType.LengthDelimited).string("*").finish()));
  call.end();
  const names: string[] = [];
  try {
    for await (const response of call as AsyncIterable<Buffer>) {
      // ServerReflectionResponse.list_services_response = 6 { repeated ServiceResponse service = 1 { name = 1 } }
      for (const list of fields(response, 6)) {
        for (const service of fields(list, 1)) {
          const reader = new BinaryReader(service);
          while (reader.pos < reader.len) {
            const [field, wireType] = reader.tag();
            if (field === 1) names.push(reader.string());
            else reader.skip(wireType);
          }
        }
      }
    }
  } finally {
    raw.close();
  }
  return names.sort();
}

/** The length-delimited values of field `number` in one message. */
function fields(bytes: Uint8Array, number: number): Uint8Array[] {
  const reader = new BinaryReader(bytes);
  const found: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === number && wireType === WireType.LengthDelimited) found.push(reader.bytes());
    else reader.skip(wireType);
  }
  return found;
}
