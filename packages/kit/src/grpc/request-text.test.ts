import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { CreateOrderRequestSchema } from "@orderly/contracts/order";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/index.ts";
import { isMalformed, lenientDecoder, malformedRequestError } from "./method-codec.ts";

const valid = {
  customerId: "alice",
  lines: [
    { sku: "MUG", quantity: 1n },
    { sku: "CUP", quantity: 2n },
  ],
  shippingAddress: { name: "Ada", line1: "1 St", city: "London", postalCode: "N1", countryCode: "GB" },
};
const decode = lenientDecoder(CreateOrderRequestSchema);
const bytesOf = (init: MessageInitShape<typeof CreateOrderRequestSchema>) =>
  Buffer.from(toBinary(CreateOrderRequestSchema, create(CreateOrderRequestSchema, init as never)));

function refusal(bytes: Buffer): { field: unknown; message: string } {
  const request = decode(bytes);
  expect(isMalformed(request)).toBe(true);
  const error = malformedRequestError(request);
  expect(error).toBeInstanceOf(AppError);
  return { field: error.details.field, message: error.message };
}

describe("request text over gRPC", () => {
  it("when a nested string holds a NUL, then the request is refused naming its proto path", () => {
    const bytes = bytesOf({ ...valid, shippingAddress: { ...valid.shippingAddress, city: "Lon\u0000don" } });
    expect(refusal(bytes)).toEqual({
      field: "shipping_address.city",
      message: "shipping_address.city: must not contain NUL or other control characters",
    });
  });

  it("when a string in the second line holds a control character, then the path says which line", () => {
    const bytes = bytesOf({
      ...valid,
      lines: [
        { sku: "MUG", quantity: 1n },
        { sku: "C\u0007P", quantity: 2n },
      ],
    });
    expect(refusal(bytes).field).toBe("lines[1].sku");
  });

  it("when a string holds invalid UTF-8 (a surrogate written as bytes), then the field is named instead of 'malformed'", () => {
    const bytes = bytesOf({
      ...valid,
      lines: [
        { sku: "MUG", quantity: 1n },
        { sku: "C\ufffcP", quantity: 2n },
      ],
    });
    // U+FFFC is EF BF BC; ED A0 80 is U+D800 as UTF-8 would write it if it could.
    const at = bytes.indexOf(Buffer.from([0xef, 0xbf, 0xbc]));
    bytes.set([0xed, 0xa0, 0x80], at);
    expect(refusal(bytes)).toEqual({ field: "lines[1].sku", message: "lines[1].sku: must be valid UTF-8" });
  });

  it("when the bytes are not a message at all, then it is the generic malformed request", () => {
    expect(refusal(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]))).toEqual({
      field: undefined,
      message: "malformed request message",
    });
  });

  it("when the text is fine (tabs, new lines, any script), then the message decodes", () => {
    const request = decode(bytesOf({ ...valid, customerId: "Zoë\t東京\n" }));
    expect(isMalformed(request)).toBe(false);
  });
});
