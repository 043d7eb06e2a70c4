import { createRequire } from "node:module";
import { type DescFile, type DescService, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type * as grpc from "@grpc/grpc-js";
import type { ReflectionService } from "@grpc/reflection";

type ReflectionPackage = ConstructorParameters<typeof ReflectionService>[0];

/**
 * @grpc/reflection brings protobufjs and proto-loader (~60 modules, ~70 ms of start-up here): loaded
 * only when reflection is served (EXPOSE_API_DOCS), synchronously, as listen() adds it.
 */
const loadReflectionService = (): typeof ReflectionService =>
  (createRequire(import.meta.url)("@grpc/reflection") as typeof import("@grpc/reflection")).ReflectionService;

/**
 * Serves grpc.reflection.v1 and v1alpha for `services`, so grpcurl and buf curl work without proto
 * files. Built from the protobuf-es descriptors (each file and its transitive dependencies), not
 * from proto-loader: the protobufjs round trip breaks on map fields (see FIELD-NOTES).
 */
export function addReflection(
  server: grpc.Server,
  services: readonly DescService[],
  extraFiles: readonly DescFile[] = [],
): void {
  const files = new Map<string, DescFile>();
  const collect = (file: DescFile) => {
    if (files.has(file.name)) return;
    files.set(file.name, file);
    for (const dependency of file.dependencies) collect(dependency);
  };
  for (const service of services) collect(service.file);
  // Messages no service names but callers must decode, e.g. google.rpc error details in trailers.
  for (const file of extraFiles) collect(file);

  const fileDescriptorProtos = [...files.values()].map((file) => {
    const bytes = toBinary(FileDescriptorProtoSchema, file.proto);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
  // The reflection service reads only `fileDescriptorProtos` from each entry.
  const pkg: ReflectionPackage = {
    "orderly.reflection.descriptors": { format: "protobuf", type: {}, fileDescriptorProtos },
  } as unknown as ReflectionPackage;
  const ReflectionServiceClass = loadReflectionService();
  new ReflectionServiceClass(pkg, { services: services.map((s) => s.typeName) }).addToServer(server);
}
