import { Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { appErrorOf } from "../testing/app-error-of.ts";
import { InMemoryInvoiceRepository } from "../testing/in-memory-invoice.repository.ts";
import { FixedClock, issueInvoiceIn } from "../testing/invoice-fixtures.ts";
import { makeGetInvoice } from "./get-invoice.use-case.ts";

describe("GetInvoice", () => {
  const invoices = new InMemoryInvoiceRepository();
  const getInvoice = makeGetInvoice({ invoices });

  it("when the id is known, then the invoice comes back", async () => {
    const issued = await issueInvoiceIn(invoices, new FixedClock(new Date()));
    expect(await getInvoice({ id: issued.id.toUpperCase() })).toEqual(issued);
  });

  it("when the id is unknown, then NOT_FOUND INVOICE_NOT_FOUND", async () => {
    const error = await appErrorOf(getInvoice({ id: "0190a4c8-0000-7000-8000-000000000999" }));
    expect([error.code, error.reason]).toEqual([Code.NOT_FOUND, "INVOICE_NOT_FOUND"]);
  });

  it("when the id is not a UUID, then INVALID_ARGUMENT names id", async () => {
    const error = await appErrorOf(getInvoice({ id: "INV-2026-000001" }));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatchObject({ field: "id" });
  });
});
