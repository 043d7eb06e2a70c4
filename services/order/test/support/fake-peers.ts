import { FulfillmentService, ShipmentStatus } from "@orderly/contracts/fulfillment";
import { InventoryService, ReservationStatus } from "@orderly/contracts/inventory";
import { InvoiceService, InvoiceStatus } from "@orderly/contracts/invoice";
import { AppError, Code } from "@orderly/kit/errors";
import { GrpcServer, partialService, type ServiceImplementation } from "@orderly/kit/grpc";
import { Health, Lifecycle } from "@orderly/kit/health";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";

const usd = (amountMinor: bigint) => ({ currencyCode: "USD", amountMinor });

/** How the fakes answer; tests flip these. */
export interface PeerScript {
  refuseCurrency: boolean;
  unknownSkus: string[];
}

/**
 * Inventory, invoice and fulfillment as three gRPC services on one port, answering the order
 * service's calls the way the real ones do (idempotent per key) and recording them.
 */
export class FakePeers {
  readonly calls: string[] = [];
  readonly script: PeerScript = { refuseCurrency: false, unknownSkus: [] };
  readonly #server: GrpcServer;

  constructor() {
    const kit = {
      log: createLogger({ service: "fake-peers", version: "0", instance: "fake", level: "silent" }),
      metrics: createMetrics({ service: "fake-peers", version: "0", collectDefault: false }),
    };
    const lifecycle = new Lifecycle();
    const health = new Health({ lifecycle, service: "fake-peers", version: "0", instance: "fake" });
    lifecycle.moveTo("SERVING");
    this.#server = new GrpcServer({ ...kit, health, service: "fake-peers", reflection: false });
    this.#server.add(InventoryService, this.#inventory());
    this.#server.add(InvoiceService, this.#invoice());
    this.#server.add(FulfillmentService, this.#fulfillment());
  }

  listen(): Promise<number> {
    return this.#server.listen("127.0.0.1", 0);
  }

  stop(): Promise<void> {
    return this.#server.drain(0);
  }

  #inventory(): ServiceImplementation<typeof InventoryService> {
    return partialService(InventoryService, {
      reserve: async (request) => {
        this.calls.push(`Reserve ${request.reservationId}`);
        const unknown = request.lines
          .map((l) => l.sku)
          .filter((sku) => this.script.unknownSkus.includes(sku));
        if (unknown.length > 0) {
          throw new AppError({
            code: Code.NOT_FOUND,
            reason: "ITEM_NOT_FOUND",
            message: "no such item",
            details: { skus: unknown },
          });
        }
        const lines = request.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitPrice: usd(250n),
          name: `Name of ${l.sku}`,
        }));
        return {
          reservation: { reservationId: request.reservationId, status: ReservationStatus.HELD, lines },
        };
      },
      release: async (request) => {
        this.calls.push(`Release ${request.reservationId}`);
        return { reservation: { reservationId: request.reservationId, status: ReservationStatus.RELEASED } };
      },
      commit: async (request) => {
        this.calls.push(`Commit ${request.reservationId}`);
        return { reservation: { reservationId: request.reservationId, status: ReservationStatus.COMMITTED } };
      },
    });
  }

  #invoice(): ServiceImplementation<typeof InvoiceService> {
    const issued = new Map<string, { id: string; status: InvoiceStatus }>();
    return partialService(InvoiceService, {
      issueInvoice: async (request) => {
        this.calls.push(`IssueInvoice ${request.lines.map((l) => l.description).join(",")}`);
        if (this.script.refuseCurrency) {
          throw new AppError({
            code: Code.FAILED_PRECONDITION,
            reason: "UNSUPPORTED_CURRENCY",
            message: "not billed in USD",
          });
        }
        const subtotal = request.lines.reduce(
          (n, l) => n + (l.unitPrice?.amountMinor ?? 0n) * l.quantity,
          0n,
        );
        const invoice = issued.get(request.orderId) ?? {
          id: `inv-${request.orderId}`,
          status: InvoiceStatus.ISSUED,
        };
        issued.set(request.orderId, invoice);
        return {
          invoice: {
            ...invoice,
            orderId: request.orderId,
            subtotal: usd(subtotal),
            tax: usd(0n),
            total: usd(subtotal),
          },
        };
      },
      listInvoices: async (request) => {
        const invoice = issued.get(request.orderId);
        return { invoices: invoice ? [{ ...invoice, orderId: request.orderId }] : [], nextPageToken: "" };
      },
      voidInvoice: async (request) => {
        this.calls.push(`VoidInvoice ${request.id}`);
        for (const invoice of issued.values())
          if (invoice.id === request.id) invoice.status = InvoiceStatus.VOID;
        return { invoice: { id: request.id, status: InvoiceStatus.VOID } };
      },
    });
  }

  #fulfillment(): ServiceImplementation<typeof FulfillmentService> {
    const shipments = new Map<string, { id: string; status: ShipmentStatus }>();
    return partialService(FulfillmentService, {
      createShipment: async (request) => {
        this.calls.push(`CreateShipment ${request.orderId}`);
        const shipment = shipments.get(request.orderId) ?? {
          id: `shp-${request.orderId}`,
          status: ShipmentStatus.PENDING,
        };
        shipments.set(request.orderId, shipment);
        return { shipment: { ...shipment, orderId: request.orderId } };
      },
      listShipments: async (request) => {
        const shipment = shipments.get(request.orderId);
        return { shipments: shipment ? [{ ...shipment, orderId: request.orderId }] : [], nextPageToken: "" };
      },
      cancelShipment: async (request) => {
        this.calls.push(`CancelShipment ${request.orderId}`);
        const shipment = shipments.get(request.orderId);
        if (!shipment) {
          throw new AppError({
            code: Code.NOT_FOUND,
            reason: "SHIPMENT_NOT_FOUND",
            message: "no shipment for the order",
          });
        }
        shipment.status = ShipmentStatus.CANCELLED;
        return { shipment: { ...shipment, orderId: request.orderId } };
      },
    });
  }
}
