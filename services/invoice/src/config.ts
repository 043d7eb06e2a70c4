import { existsSync } from "node:fs";
import { type Env, loadServiceConfig, z } from "@orderly/kit/config";
import { parseEventBusConfig } from "@orderly/kit/events";
import packageJson from "../package.json" with { type: "json" };
import { isIsoCurrencyCode } from "./domain/currency.ts";

const DEFAULT_CURRENCIES = "EUR,USD,GBP,CHF,JPY";

/** A comma list of upper-case ISO 4217 codes; an unknown or lower-case one fails startup, named. */
const currencyList = () =>
  z
    .string()
    .default(DEFAULT_CURRENCIES)
    .transform((value, ctx) => {
      const codes = [...new Set(value.split(",").map((code) => code.trim()))].filter((code) => code !== "");
      const bad = codes.filter((code) => !isIsoCurrencyCode(code));
      if (codes.length === 0 || bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `expected a comma list of upper-case ISO 4217 codes (e.g. ${DEFAULT_CURRENCIES})${
            bad.length > 0 ? `; not ISO 4217: ${bad.join(", ")}` : ""
          }`,
        });
        return z.NEVER;
      }
      return codes;
    });

const text = (fallback: string, maxLength = 200) =>
  z
    .string()
    .max(maxLength, { error: `expected at most ${maxLength} characters` })
    .default(fallback);

/** The invoice service's configuration: the standard variables plus tax, currencies and the seller. */
const INVOICE_CONFIG = {
  name: "invoice",
  version: packageJson.version,
  defaultHttpPort: 8082,
  defaultGrpcPort: 50053,
  // EVENT_BUS_URL: the invoice of a cancelled or failed order is voided from the order's events too.
  sections: { eventBus: parseEventBusConfig },
  extra: {
    /** The currencies this entity bills in; a valid code outside them is UNSUPPORTED_CURRENCY. */
    INVOICE_CURRENCIES: currencyList(),
    /**
     * A TTF/OTF file for the glyphs DejaVu Sans lacks (CJK, say), e.g. a Noto Sans CJK or IPA
     * Gothic file; unset, such characters print as DejaVu's missing-glyph box.
     */
    INVOICE_PDF_FALLBACK_FONT: z
      .string()
      .refine((path) => existsSync(path), {
        error: "expected the path of a readable TTF or OTF font file",
      })
      .optional(),
    /** The invoicing entity printed on every PDF. The defaults are a demo company. */
    SELLER_NAME: text("Orderly Demo GmbH"),
    SELLER_TAX_ID: text("DE000000000", 40),
    SELLER_ADDRESS_LINE1: text("Beispielstraße 1"),
    SELLER_CITY: text("Berlin", 100),
    SELLER_POSTAL_CODE: text("10115", 20),
    SELLER_COUNTRY_CODE: z
      .string()
      .regex(/^[A-Z]{2}$/, { error: "expected an upper-case ISO 3166-1 alpha-2 code (DE, US)" })
      .default("DE"),
    SELLER_EMAIL: z
      .string()
      .regex(/^[^\s@]+@[^\s@]+$/, { error: "expected an email address" })
      .max(254, { error: "expected at most 254 characters" })
      .default("billing@orderly.example"),
  },
};

export function loadConfig(env: Env = process.env) {
  return loadServiceConfig(INVOICE_CONFIG, env);
}

export type InvoiceConfig = ReturnType<typeof loadConfig>;
