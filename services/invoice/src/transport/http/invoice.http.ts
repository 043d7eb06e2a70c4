import { JSON_STRING, jsonArray, jsonObject, uuidParams } from "@orderly/kit/http";
import type { FastifyInstance } from "fastify";
import type { InvoiceApi } from "../../domain/invoice-api.ts";
import { customerFilterOf, invoiceOwnerOf } from "../invoice-access.ts";
import { invoiceSchema, invoiceToJson } from "./invoice.json.ts";

// A non-UUID id is refused here (400 naming `id`) before it reaches the domain, which would refuse it too.
const idParams = uuidParams("id");

const listQuery = jsonObject(
  {
    order_id: { type: "string", minLength: 1, maxLength: 128 },
    customer_id: { type: "string", minLength: 1, maxLength: 128 },
    page_size: { type: "integer", minimum: 0, maximum: 100, description: "1..100; 0 or absent means 50" },
    page_token: { type: "string", maxLength: 2048, description: "next_page_token of the previous page" },
  },
  { optional: ["order_id", "customer_id", "page_size", "page_token"] },
);

interface ListQuery {
  order_id?: string;
  customer_id?: string;
  page_size?: number;
  page_token?: string;
}

/**
 * The invoice API over HTTP under /v1: wire <-> domain, nothing more. Issuing and voiding are gRPC
 * only (the order saga's calls); HTTP serves reading, listing and the PDF.
 */
export function registerInvoiceRoutes(app: FastifyInstance, api: InvoiceApi): void {
  app.get<{ Params: { id: string } }>(
    "/v1/invoices/:id",
    {
      config: { access: { scope: "invoices:read" } },
      schema: {
        operationId: "getInvoice",
        summary: "Get an invoice",
        tags: ["invoices"],
        params: idParams,
        response: { 200: invoiceSchema },
      },
    },
    async (request) =>
      invoiceToJson(
        await api.getInvoice({ id: request.params.id, owner: invoiceOwnerOf(request.principal) }),
      ),
  );

  // find-my-way matches the static ".pdf" suffix inside the segment, so this and /:id never clash
  // (an id is a UUID, which never ends in ".pdf").
  app.get<{ Params: { id: string } }>(
    "/v1/invoices/:id.pdf",
    {
      config: { access: { scope: "invoices:read" } },
      schema: {
        operationId: "getInvoicePdf",
        summary: "The invoice as a PDF (A4), rendered from the stored invoice",
        tags: ["invoices"],
        params: idParams,
        response: {
          200: {
            description: "The PDF document",
            content: { "application/pdf": { schema: { type: "string", format: "binary" } } },
          },
        },
      },
    },
    async (request, reply) => {
      const { invoice, pdf } = await api.getInvoicePdf({
        id: request.params.id,
        owner: invoiceOwnerOf(request.principal),
      });
      return reply
        .type("application/pdf")
        .header("content-disposition", `inline; filename="${invoice.number}.pdf"`)
        .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
    },
  );

  app.get<{ Querystring: ListQuery }>(
    "/v1/invoices",
    {
      config: { access: { scope: "invoices:read" } },
      schema: {
        operationId: "listInvoices",
        summary: "List the invoices of an order and/or a customer, newest first",
        description:
          "Without admin the list is limited to the token's own customer id (customer_id another's: 403).",
        tags: ["invoices"],
        querystring: listQuery,
        response: {
          200: jsonObject({ invoices: jsonArray(invoiceSchema), next_page_token: JSON_STRING }),
        },
      },
    },
    async (request) => {
      const { query } = request;
      const page = await api.listInvoices({
        orderId: query.order_id,
        customerId: customerFilterOf(request.principal, query.customer_id),
        pageSize: query.page_size,
        pageToken: query.page_token,
      });
      return { invoices: page.invoices.map(invoiceToJson), next_page_token: page.nextPageToken };
    },
  );
}
