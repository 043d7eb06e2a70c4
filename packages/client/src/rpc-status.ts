import { BinaryReader } from "@bufbuild/protobuf/wire";
import type { FieldViolation } from "./orderly-error.ts";

/**
 * What a `grpc-status-details-bin` trailer (a serialized google.rpc.Status) says: the reason of its
 * google.rpc.ErrorInfo and the field violations of its google.rpc.BadRequest. Decoded by hand from
 * the wire format (field numbers from google/rpc/status.proto and error_details.proto), so the
 * client needs no generated code for those protos. Unknown detail types are skipped.
 */
export interface RpcStatusDetails {
  code: number;
  message: string;
  reason?: string;
  domain?: string;
  metadata: Record<string, string>;
  fieldViolations: FieldViolation[];
}

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
const BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";

export function decodeRpcStatus(bytes: Uint8Array): RpcStatusDetails | undefined {
  try {
    const status: RpcStatusDetails = { code: 0, message: "", metadata: {}, fieldViolations: [] };
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1 && wireType === 0) status.code = reader.int32();
      else if (field === 2 && wireType === 2) status.message = reader.string();
      else if (field === 3 && wireType === 2) readAny(reader.bytes(), status);
      else reader.skip(wireType);
    }
    return status;
  } catch {
    // An unreadable trailer still leaves the status code and message grpc-js gave us.
    return undefined;
  }
}

function readAny(bytes: Uint8Array, status: RpcStatusDetails): void {
  const reader = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array();
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 2) typeUrl = reader.string();
    else if (field === 2 && wireType === 2) value = reader.bytes();
    else reader.skip(wireType);
  }
  if (typeUrl === ERROR_INFO) readErrorInfo(value, status);
  else if (typeUrl === BAD_REQUEST) readBadRequest(value, status);
}

function readErrorInfo(bytes: Uint8Array, status: RpcStatusDetails): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 2) status.reason = reader.string();
    else if (field === 2 && wireType === 2) status.domain = reader.string();
    else if (field === 3 && wireType === 2) {
      const [key, value] = readPair(reader.bytes());
      status.metadata[key] = value;
    } else reader.skip(wireType);
  }
}

function readBadRequest(bytes: Uint8Array, status: RpcStatusDetails): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 2) {
      const [name, description] = readPair(reader.bytes());
      status.fieldViolations.push({ field: name, description });
    } else reader.skip(wireType);
  }
}

/** Fields 1 and 2 as strings: a map entry (key, value) or a FieldViolation (field, description). */
function readPair(bytes: Uint8Array): [string, string] {
  const reader = new BinaryReader(bytes);
  let first = "";
  let second = "";
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 2) first = reader.string();
    else if (field === 2 && wireType === 2) second = reader.string();
    else reader.skip(wireType);
  }
  return [first, second];
}
