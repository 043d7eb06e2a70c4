import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_ERROR_EXIT_CODE } from "@orderly/kit/config";
import { afterAll, describe, expect, it } from "vitest";

const mainFile = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "order-missing-peer-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("order started without Consul and without a peer's address", () => {
  it("when INVENTORY_GRPC_ADDR is missing, then it exits 78 naming it, before opening its database", () => {
    const database = join(dataDir, "db");
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, [mainFile], {
      env: {
        PATH,
        HOME,
        AUTH_DISABLED: "true",
        HTTP_PORT: "0",
        GRPC_PORT: "0",
        DATABASE_URL: `pglite:${database}`,
        INVOICE_GRPC_ADDR: "127.0.0.1:1",
        FULFILLMENT_GRPC_ADDR: "127.0.0.1:1",
      },
      encoding: "utf8",
      timeout: 20_000,
    });

    expect(run.status).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(run.stderr.trim()).toBe(
      "invalid configuration: INVENTORY_GRPC_ADDR: the inventory service's gRPC address as host:port " +
        "(or set CONSUL_HTTP_ADDR for Consul discovery)",
    );
    // A config error stops the start before anything is built: no database directory appeared.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
