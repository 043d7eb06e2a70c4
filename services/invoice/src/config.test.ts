import { ConfigError } from "@orderly/kit/config";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

/** These tests are about the service's own variables; the kit tests the AUTH_* ones. */
const AUTH_OFF = { AUTH_DISABLED: "true" } as const;

/** The variables a ConfigError names, or [] when the config loads. */
function faultyVariables(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...AUTH_OFF, ...env });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => issue.variable);
  }
}

describe("invoice config", () => {
  it("when nothing is set, then the invoice defaults apply: ports 8082/50053, five currencies, a demo seller, no fallback font", () => {
    const config = loadConfig(AUTH_OFF);

    expect(config.service).toBe("invoice");
    expect(config.http.port).toBe(8082);
    expect(config.grpc.port).toBe(50053);
    expect(config.databaseUrl).toBe("pglite:.data/invoice");
    expect(config.extra).toMatchObject({
      INVOICE_CURRENCIES: ["EUR", "USD", "GBP", "CHF", "JPY"],
      SELLER_NAME: "Orderly Demo GmbH",
      SELLER_COUNTRY_CODE: "DE",
    });
    expect(config.extra.SELLER_TAX_ID).not.toBe("");
    expect(config.extra.SELLER_EMAIL).toContain("@");
    expect(config.extra.INVOICE_PDF_FALLBACK_FONT).toBeUndefined();
  });

  it("when INVOICE_PDF_FALLBACK_FONT names no file, then the error names it; an existing file is taken", () => {
    expect(faultyVariables({ INVOICE_PDF_FALLBACK_FONT: "/no/such/font.ttf" })).toEqual([
      "INVOICE_PDF_FALLBACK_FONT",
    ]);
    const here = new URL(import.meta.url).pathname;
    expect(loadConfig({ ...AUTH_OFF, INVOICE_PDF_FALLBACK_FONT: here }).extra.INVOICE_PDF_FALLBACK_FONT).toBe(
      here,
    );
  });

  it("when the currencies are a spaced list with repeats, then they are trimmed and each kept once", () => {
    const config = loadConfig({ ...AUTH_OFF, INVOICE_CURRENCIES: " CHF , EUR,CHF,, " });

    expect(config.extra.INVOICE_CURRENCIES).toEqual(["CHF", "EUR"]);
  });

  it("when a currency is not an upper-case ISO 4217 code, then the error names INVOICE_CURRENCIES and the code", () => {
    expect(faultyVariables({ INVOICE_CURRENCIES: "EUR,XYZ" })).toEqual(["INVOICE_CURRENCIES"]);
    expect(faultyVariables({ INVOICE_CURRENCIES: "eur" })).toEqual(["INVOICE_CURRENCIES"]);
    expect(faultyVariables({ INVOICE_CURRENCIES: " , " })).toEqual(["INVOICE_CURRENCIES"]);
    expect(() => loadConfig({ ...AUTH_OFF, INVOICE_CURRENCIES: "EUR,XYZ,usd" })).toThrow(
      /not ISO 4217: XYZ, usd/,
    );
  });

  it("when seller fields are malformed, then the error names each of them", () => {
    expect(faultyVariables({ SELLER_COUNTRY_CODE: "de", SELLER_EMAIL: "billing" })).toEqual([
      "SELLER_COUNTRY_CODE",
      "SELLER_EMAIL",
    ]);
  });

  it("when EVENT_BUS_URL is set, then the service has an event bus config (it consumes order events); unset, none", () => {
    expect(loadConfig({ EVENT_BUS_URL: "nats://nats:4222" }).eventBus?.servers).toEqual(["nats://nats:4222"]);
    expect(loadConfig({}).eventBus).toBeUndefined();
  });
});
