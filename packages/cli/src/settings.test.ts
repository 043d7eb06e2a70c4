import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientOptions } from "./settings.ts";
import { UsageError } from "./usage-error.ts";

describe("where the CLI connects", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), "orderly-cli-settings-"));
    dirs.push(dir);
    return dir;
  };

  it("when nothing is set, then it finds the pnpm start stack at the default ports, shifted by ORDERLY_PORT_OFFSET", () => {
    expect(clientOptions({}, {}, scratch())).toEqual({
      address: "127.0.0.1:50051",
      addresses: { inventory: "127.0.0.1:50052", invoice: "127.0.0.1:50053", fulfillment: "127.0.0.1:50054" },
      invoiceHttpUrl: "http://127.0.0.1:8082",
    });
    const shifted = clientOptions({}, { ORDERLY_PORT_OFFSET: "100" }, scratch());
    expect([shifted.address, shifted.addresses?.fulfillment, shifted.invoiceHttpUrl]).toEqual([
      "127.0.0.1:50151",
      "127.0.0.1:50154",
      "http://127.0.0.1:8182",
    ]);
  });

  it("when --address or ORDERLY_ADDRESS is given, then every service uses it unless its own variable is set", () => {
    const options = clientOptions(
      { address: "gw:443" },
      { ORDERLY_ADDRESS: "ignored:1", ORDERLY_INVOICE_ADDRESS: "inv:9" },
      scratch(),
    );
    expect([options.address, options.addresses]).toEqual([
      "gw:443",
      { inventory: "gw:443", invoice: "inv:9", fulfillment: "gw:443" },
    ]);
  });

  it("when the data directory holds a token and a CA, then they are used; --token wins over both", () => {
    const dir = scratch();
    mkdirSync(join(dir, "certs"));
    writeFileSync(join(dir, "token"), "from-file\n");
    writeFileSync(join(dir, "certs/ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    const fromFiles = clientOptions({}, { ORDERLY_DATA_DIR: dir }, "/");
    expect([fromFiles.token, fromFiles.tls]).toEqual(["from-file", { ca: "-----BEGIN CERTIFICATE-----\n" }]);
    expect(clientOptions({ token: "flag" }, { ORDERLY_DATA_DIR: dir, ORDERLY_TOKEN: "env" }, "/").token).toBe(
      "flag",
    );
    expect(clientOptions({}, { ORDERLY_DATA_DIR: dir, ORDERLY_TOKEN: "env" }, "/").token).toBe("env");
  });

  it("when ORDERLY_PORT_OFFSET is not a number, then it is bad input naming the variable", () => {
    expect(() => clientOptions({}, { ORDERLY_PORT_OFFSET: "x" }, scratch())).toThrow(UsageError);
    expect(() => clientOptions({}, { ORDERLY_PORT_OFFSET: "x" }, scratch())).toThrow(/ORDERLY_PORT_OFFSET/);
  });
});
