import { describe, expect, it } from "vitest";
import { JSON_INTEGER, JSON_STRING, jsonArray, jsonObject, uuidParams } from "./json-schema-parts.ts";

describe("jsonObject", () => {
  it("when no member is optional, then every member is required, in the order written", () => {
    expect(jsonObject({ sku: JSON_STRING, quantity: JSON_INTEGER })).toEqual({
      type: "object",
      properties: { sku: { type: "string" }, quantity: { type: "integer" } },
      required: ["sku", "quantity"],
    });
  });

  it("when members are optional, then they are left out of required", () => {
    const schema = jsonObject({ id: JSON_STRING, note: JSON_STRING }, { optional: ["note"] });

    expect(schema.required).toEqual(["id"]);
  });

  it("when every member is optional, then the schema has no required list at all", () => {
    expect(jsonObject({ note: JSON_STRING }, { optional: ["note"] })).not.toHaveProperty("required");
  });

  it("when closed, then unknown members are refused (additionalProperties false)", () => {
    expect(jsonObject({ id: JSON_STRING }, { closed: true })).toMatchObject({ additionalProperties: false });
    expect(jsonObject({ id: JSON_STRING })).not.toHaveProperty("additionalProperties");
  });
});

describe("jsonArray and uuidParams", () => {
  it("when given items, then jsonArray is an array of them", () => {
    expect(jsonArray(JSON_STRING)).toEqual({ type: "array", items: { type: "string" } });
  });

  it("when given a name, then uuidParams requires it as a UUID string", () => {
    expect(uuidParams("id")).toEqual({
      type: "object",
      properties: { id: { type: "string", format: "uuid" } },
      required: ["id"],
    });
  });
});
