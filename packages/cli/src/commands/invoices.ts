import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { argument, type Command, stringFlag } from "../command.ts";
import { invoiceSummary, toJson } from "../output.ts";

export const invoicesGet: Command = {
  path: ["invoices", "get"],
  summary: "Show an invoice; --pdf also saves it as a PDF",
  args: [{ name: "ID", description: "the invoice id (an order's `invoice`)" }],
  flags: { pdf: { type: "string", value: "FILE", description: "write the invoice PDF to FILE" } },
  examples: [
    "pnpm orderly invoices get 019a6f2e-…",
    "pnpm orderly invoices get 019a6f2e-… --pdf invoice.pdf",
  ],
  async run(ctx) {
    const id = argument(ctx, 0, this);
    const pdfPath = stringFlag(ctx, "pdf", this);
    const invoice = await ctx.client().invoices.get(id);
    let saved: { file: string; bytes: number } | undefined;
    if (pdfPath) {
      const pdf = await ctx.client().invoices.pdf(id);
      await writeFile(resolve(ctx.cwd, pdfPath), pdf);
      saved = { file: resolve(ctx.cwd, pdfPath), bytes: pdf.byteLength };
    }
    if (ctx.output.json) ctx.output.out(toJson(saved ? { ...invoice, pdf: saved } : invoice));
    else {
      ctx.output.out(invoiceSummary(ctx.output, invoice));
      if (saved) ctx.output.out(`wrote ${saved.file} (${saved.bytes} bytes)`);
    }
  },
};
