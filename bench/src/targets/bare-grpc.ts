/**
 * The bare side of the grpc scenario: a grpc-js server with nothing but InventoryService/GetItem,
 * decoding and encoding with protobuf-es fromBinary/toBinary directly, answering the same fixed item.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  type GetItemRequest,
  GetItemRequestSchema,
  GetItemResponseSchema,
} from "@orderly/contracts/inventory";
import { FIXED_ITEM } from "./item-fixture.ts";

const response = create(GetItemResponseSchema, { item: FIXED_ITEM });
type Response = typeof response;

const definition: Record<string, grpc.MethodDefinition<GetItemRequest, Response>> = {
  GetItem: {
    path: "/orderly.inventory.v1.InventoryService/GetItem",
    requestStream: false,
    responseStream: false,
    requestSerialize: (message) => Buffer.from(toBinary(GetItemRequestSchema, message)),
    requestDeserialize: (bytes) => fromBinary(GetItemRequestSchema, bytes),
    responseSerialize: (message) => {
      const bytes = toBinary(GetItemResponseSchema, message);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    responseDeserialize: (bytes) => fromBinary(GetItemResponseSchema, bytes),
  },
};

const server = new grpc.Server();
server.addService(definition, {
  GetItem: (_call: grpc.ServerUnaryCall<GetItemRequest, Response>, callback: grpc.sendUnaryData<Response>) =>
    callback(null, response),
});
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
    error ? reject(error) : resolve(bound),
  ),
);
console.log(JSON.stringify({ ready: true, grpcPort: port }));

const stop = () => server.tryShutdown(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
