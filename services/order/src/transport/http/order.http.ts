import { JSON_STRING, jsonArray, jsonObject, uuidParams } from "@orderly/kit/http";
import type { FastifyInstance } from "fastify";
import type { OrderApi } from "../../domain/order-api.ts";
import { assertMayOrderFor, customerToList, ownerOf } from "../order-access.ts";
import { type CreateOrderBody, createOrderBodySchema, orderSchema, orderToJson } from "./order.json.ts";

const idParams = uuidParams("id");

const orderResponse = { 200: orderSchema };

/** The order API over HTTP under /v1: wire <-> domain, nothing more. */
/** RFC 7240: `Prefer: respond-async` (possibly among other preferences) asks not to wait. */
function prefersAsync(prefer: string | undefined): boolean {
  return prefer !== undefined && /(^|[,\s])respond-async\s*(,|;|$)/i.test(prefer);
}

export function registerOrderRoutes(app: FastifyInstance, api: OrderApi): void {
  app.post<{ Body: CreateOrderBody; Headers: { "idempotency-key"?: string; prefer?: string } }>(
    "/v1/orders",
    {
      config: { access: { scope: "orders:write" } },
      schema: {
        summary: "Create an order (requires an Idempotency-Key header)",
        description:
          "Answers 201 with the settled order (CONFIRMED or REJECTED), or 202 with the PENDING order and its " +
          "Location when the client sent `Prefer: respond-async` or the saga outlasted the request budget.",
        tags: ["orders"],
        headers: {
          type: "object",
          required: ["idempotency-key"],
          properties: {
            "idempotency-key": { type: "string", minLength: 1, maxLength: 128 },
            prefer: {
              type: "string",
              description: "`respond-async`: answer 202 at once with the PENDING order",
            },
          },
        },
        body: createOrderBodySchema,
        response: { 200: orderSchema, 201: orderSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      assertMayOrderFor(request.principal, body.customer_id);
      const a = body.shipping_address;
      const respondAsync = prefersAsync(request.headers.prefer);
      const order = await api.createOrder(
        {
          customerId: body.customer_id,
          lines: body.lines,
          shippingAddress: {
            name: a.name,
            line1: a.line1,
            line2: a.line2 ?? "",
            city: a.city,
            postalCode: a.postal_code,
            countryCode: a.country_code,
          },
        },
        request.headers["idempotency-key"],
        { respondAsync },
      );
      reply.header("location", `/v1/orders/${order.id}`);
      if (respondAsync) reply.header("preference-applied", "respond-async");
      return reply.code(order.status === "PENDING" ? 202 : 201).send(orderToJson(order));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/orders/:id",
    {
      config: { access: { scope: "orders:read" } },
      schema: { summary: "Get an order", tags: ["orders"], params: idParams, response: orderResponse },
    },
    async (request) => orderToJson(await api.getOrder(request.params.id, ownerOf(request.principal))),
  );

  app.get<{ Querystring: { customer_id?: string; page_size?: number; page_token?: string } }>(
    "/v1/orders",
    {
      config: { access: { scope: "orders:read" } },
      schema: {
        summary: "List a customer's orders, newest first",
        description:
          "customer_id defaults to the token's subject; a customer may list only their own orders (403 otherwise), an operator (admin) anyone's.",
        tags: ["orders"],
        querystring: jsonObject(
          {
            customer_id: { type: "string", minLength: 1, maxLength: 128 },
            page_size: { type: "integer", minimum: 0, maximum: 100 },
            page_token: { type: "string", maxLength: 200 },
          },
          { optional: ["customer_id", "page_size", "page_token"] },
        ),
        response: {
          200: jsonObject(
            { orders: jsonArray(orderSchema), next_page_token: JSON_STRING },
            { optional: ["orders", "next_page_token"] },
          ),
        },
      },
    },
    async (request) => {
      const page = await api.listOrders({
        customerId: customerToList(request.principal, request.query.customer_id),
        pageSize: request.query.page_size ?? 0,
        pageToken: request.query.page_token ?? "",
      });
      return { orders: page.items.map(orderToJson), next_page_token: page.next ?? "" };
    },
  );

  app.post<{ Params: { id: string } }>(
    "/v1/orders/:id/cancel",
    {
      config: { access: { scope: "orders:write" } },
      schema: {
        summary: "Cancel an order until it ships (idempotent)",
        tags: ["orders"],
        params: idParams,
        // No body is needed; an empty JSON object is accepted for clients that always send one.
        body: { type: ["object", "null"], properties: {}, additionalProperties: false },
        response: orderResponse,
      },
    },
    async (request) =>
      orderToJson(await api.cancelOrder(request.params.id, undefined, ownerOf(request.principal))),
  );
}
