import type { FastifyInstance } from "fastify";
import type { OrderApi } from "../../app.ts";
import { type CreateOrderBody, createOrderBodySchema, orderSchema, orderToJson } from "./order.json.ts";

const idParams = {
  type: "object",
  properties: { id: { type: "string", format: "uuid" } },
  required: ["id"],
} as const;

const orderResponse = { 200: orderSchema };

/** The order API over HTTP under /v1: wire <-> domain, nothing more. */
export function registerOrderRoutes(app: FastifyInstance, api: OrderApi, requestDeadline: () => Date): void {
  app.post<{ Body: CreateOrderBody; Headers: { "idempotency-key"?: string } }>(
    "/v1/orders",
    {
      schema: {
        summary: "Create an order (requires an Idempotency-Key header)",
        tags: ["orders"],
        headers: {
          type: "object",
          properties: { "idempotency-key": { type: "string", minLength: 1, maxLength: 128 } },
        },
        body: createOrderBodySchema,
        response: { 200: orderSchema, 201: orderSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const a = body.shipping_address;
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
        requestDeadline(),
      );
      reply.header("location", `/v1/orders/${order.id}`);
      return reply.code(order.status === "PENDING" ? 202 : 201).send(orderToJson(order));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/orders/:id",
    { schema: { summary: "Get an order", tags: ["orders"], params: idParams, response: orderResponse } },
    async (request) => orderToJson(await api.getOrder(request.params.id)),
  );

  app.get<{ Querystring: { customer_id: string; page_size?: number; page_token?: string } }>(
    "/v1/orders",
    {
      schema: {
        summary: "List a customer's orders, newest first",
        tags: ["orders"],
        querystring: {
          type: "object",
          properties: {
            customer_id: { type: "string", minLength: 1, maxLength: 128 },
            page_size: { type: "integer", minimum: 0, maximum: 100 },
            page_token: { type: "string", maxLength: 200 },
          },
          required: ["customer_id"],
        },
        response: {
          200: {
            type: "object",
            properties: {
              orders: { type: "array", items: orderSchema },
              next_page_token: { type: "string" },
            },
          },
        },
      },
    },
    async (request) => {
      const page = await api.listOrders({
        customerId: request.query.customer_id,
        pageSize: request.query.page_size ?? 0,
        pageToken: request.query.page_token ?? "",
      });
      return { orders: page.items.map(orderToJson), next_page_token: page.next ?? "" };
    },
  );

  app.post<{ Params: { id: string } }>(
    "/v1/orders/:id/cancel",
    {
      schema: {
        summary: "Cancel an order until it ships (idempotent)",
        tags: ["orders"],
        params: idParams,
        // No body is needed; an empty JSON object is accepted for clients that always send one.
        body: { type: ["object", "null"], properties: {}, additionalProperties: false },
        response: orderResponse,
      },
    },
    async (request) => orderToJson(await api.cancelOrder(request.params.id, requestDeadline())),
  );
}
