import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import * as grpc from "@grpc/grpc-js";
import { ErrorInfoSchema } from "@orderly/contracts/google-rpc-error-details";
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it } from "vitest";
import { notFound } from "../errors/index.ts";
import { fakeInventory, startServer, testKit } from "./test-harness.ts";

const run = promisify(execFile);
const BUF = new URL("../../../../node_modules/.bin/buf", import.meta.url).pathname;

/** ServerReflectionInfo with one list_services request, decoded by hand (no reflection stubs needed). */
async function listServices(target: string, version: "v1" | "v1alpha"): Promise<string[]> {
  const raw = new grpc.Client(target, grpc.credentials.createInsecure());
  const identity = (b: Buffer) => b;
  const call = raw.makeBidiStreamRequest<Buffer, Buffer>(
    `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
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
      const reader = new BinaryReader(response);
      while (reader.pos < reader.len) {
        const [field, wireType] = reader.tag();
        // ServerReflectionResponse.list_services_response = 6 { repeated ServiceResponse service = 1 { name = 1 } }
        if (field !== 6) {
          reader.skip(wireType);
          continue;
        }
        const list = new BinaryReader(reader.bytes());
        while (list.pos < list.len) {
          const [listField, listWire] = list.tag();
          if (listField !== 1) {
            list.skip(listWire);
            continue;
          }
          const service = new BinaryReader(list.bytes());
          while (service.pos < service.len) {
            const [serviceField, serviceWire] = service.tag();
            if (serviceField === 1) names.push(service.string());
            else service.skip(serviceWire);
          }
        }
      }
    }
  } finally {
    raw.close();
  }
  return names.sort();
}

async function bufCurl(port: number, path: string, data: string): Promise<unknown> {
  const { stdout } = await run(
    BUF,
    [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "--data",
      data,
      `http://127.0.0.1:${port}${path}`,
    ],
    { timeout: 20_000 },
  );
  return JSON.parse(stdout);
}

describe("server reflection", () => {
  it.each(["v1", "v1alpha"] as const)(
    "when a %s reflection client lists services, then it sees the added services and health",
    async (version) => {
      const kit = testKit();
      const { target } = await startServer(kit, (s) => s.add(InventoryService, fakeInventory({})));

      const services = await listServices(target, version);

      expect(services).toEqual(["grpc.health.v1.Health", "orderly.inventory.v1.InventoryService"]);
    },
  );

  it("when buf curl calls Health/Check without proto files, then it answers SERVING", async () => {
    const kit = testKit();
    const { port } = await startServer(kit, (s) => s.add(InventoryService, fakeInventory({})));

    expect(await bufCurl(port, "/grpc.health.v1.Health/Check", "{}")).toEqual({ status: "SERVING" });
  });

  it("when buf curl calls an Orderly method, then reflection resolves its imports and the JSON round-trips", async () => {
    const kit = testKit();
    const { port } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            return {
              item: {
                sku: request.sku,
                onHand: 3n,
                unitPrice: { currencyCode: "EUR", amountMinor: 250n },
                updatedAt: { seconds: 1_767_225_600n, nanos: 0 },
              },
            };
          },
        }),
      ),
    );

    const response = await bufCurl(port, "/orderly.inventory.v1.InventoryService/GetItem", '{"sku":"W-1"}');

    expect(response).toEqual({
      item: {
        sku: "W-1",
        onHand: "3",
        unitPrice: { currencyCode: "EUR", amountMinor: "250" },
        updatedAt: "2026-01-01T00:00:00Z",
      },
    });
  });

  it("when a call fails, then buf curl shows a google.rpc.ErrorInfo detail carrying the reason", async () => {
    const kit = testKit();
    const { port } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            throw notFound("ITEM_NOT_FOUND", `no item with sku ${request.sku}`, { skus: [request.sku] });
          },
        }),
      ),
    );

    const failed = await bufCurl(
      port,
      "/orderly.inventory.v1.InventoryService/GetItem",
      '{"sku":"NOPE"}',
    ).then(
      () => undefined,
      (error: { stderr?: string }) => error,
    );

    // buf curl prints the Connect error JSON: each detail's type name and its bytes (base64); it
    // decodes `debug` only for types compiled into buf itself, which google.rpc.ErrorInfo is not.
    const printed = JSON.parse(failed?.stderr ?? "{}") as {
      code: string;
      message: string;
      details: { type: string; value: string }[];
    };
    expect(printed).toMatchObject({ code: "not_found", message: "no item with sku NOPE" });
    expect(printed.details.map((d) => d.type)).toEqual(["google.rpc.ErrorInfo"]);
    const info = fromBinary(ErrorInfoSchema, Buffer.from(printed.details[0]?.value ?? "", "base64url"));
    expect(info).toMatchObject({
      reason: "ITEM_NOT_FOUND",
      domain: "orderly.dev",
      metadata: { skus: '["NOPE"]' },
    });
  });

  it("when reflection is turned off, then no reflection service answers", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) => s.add(InventoryService, fakeInventory({})), {
      reflection: false,
    });

    await expect(listServices(target, "v1")).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });
});
