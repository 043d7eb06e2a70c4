import { uuidParams } from "@orderly/kit/http";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FulfillmentApi } from "../../domain/fulfillment-api.ts";
import type { ShipmentStatus } from "../../domain/shipment-status.ts";
import { customerFilterOf, shipmentOwnerOf } from "../shipment-access.ts";
import {
  type CancelBody,
  cancelBodySchema,
  type ListShipmentsQuery,
  listShipmentsQuerySchema,
  noBodySchema,
  shipmentPageSchema,
  shipmentSchema,
  shipmentToJson,
} from "./shipment.json.ts";

const idParams = uuidParams("id");

const shipmentResponse = { 200: shipmentSchema };

/** The warehouse's steps, each one action on the shipment. */
const STEPS: ReadonlyArray<{ action: string; to: ShipmentStatus; summary: string }> = [
  { action: "pick", to: "PICKING", summary: "Start picking a PENDING shipment" },
  { action: "pack", to: "PACKED", summary: "Mark a PICKING shipment packed" },
  { action: "ship", to: "SHIPPED", summary: "Hand a PACKED shipment to its carrier (assigns tracking)" },
  { action: "deliver", to: "DELIVERED", summary: "Mark a SHIPPED shipment delivered" },
];

// A POST without a body is the normal case for these actions: validate it as `{}`, so the body
// schema applies to what is sent (a non-object is refused; unknown members are dropped by fastify).
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

/** The shipment API for warehouse tools, under /v1: wire <-> domain, nothing more. */
export function registerShipmentRoutes(app: FastifyInstance, api: FulfillmentApi): void {
  app.get<{ Params: { id: string } }>(
    "/v1/shipments/:id",
    {
      config: { access: { scope: "orders:read" } },
      schema: {
        summary: "Get a shipment",
        tags: ["shipments"],
        params: idParams,
        response: shipmentResponse,
      },
    },
    async (request) =>
      shipmentToJson(await api.getShipment(request.params.id, shipmentOwnerOf(request.principal))),
  );

  app.get<{ Querystring: ListShipmentsQuery }>(
    "/v1/shipments",
    {
      config: { access: { scope: "orders:read" } },
      schema: {
        summary: "List shipments in creation order, optionally by order, customer and status",
        description:
          "A customer's token lists only its own shipments (customer_id another's: 403); warehouse staff (shipments:write) and admin list everyone's.",
        tags: ["shipments"],
        querystring: listShipmentsQuerySchema,
        response: { 200: shipmentPageSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await api.listShipments({
        orderId: q.order_id ?? "",
        customerId: customerFilterOf(request.principal, q.customer_id),
        status: q.status ?? "",
        pageSize: q.page_size ?? 0,
        pageToken: q.page_token ?? "",
      });
      return { shipments: page.items.map(shipmentToJson), next_page_token: page.next ?? "" };
    },
  );

  for (const step of STEPS) {
    app.post<{ Params: { id: string } }>(
      `/v1/shipments/:id/${step.action}`,
      {
        config: { access: { scope: "shipments:write" } },
        preValidation: emptyBodyAsObject,
        schema: {
          summary: `${step.summary} (idempotent)`,
          tags: ["shipments"],
          params: idParams,
          body: noBodySchema,
          response: shipmentResponse,
        },
      },
      async (request) => shipmentToJson(await api.advanceShipment(request.params.id, step.to)),
    );
  }

  app.post<{ Params: { id: string }; Body: CancelBody }>(
    "/v1/shipments/:id/cancel",
    {
      config: { access: { scope: "shipments:write" } },
      preValidation: emptyBodyAsObject,
      schema: {
        summary: "Cancel a shipment before it ships (idempotent; the first reason is kept)",
        tags: ["shipments"],
        params: idParams,
        body: cancelBodySchema,
        response: shipmentResponse,
      },
    },
    async (request) =>
      shipmentToJson(
        await api.cancelShipment(
          request.body.reason === undefined
            ? { id: request.params.id }
            : { id: request.params.id, reason: request.body.reason },
        ),
      ),
  );
}
