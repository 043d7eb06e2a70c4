import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { adjustment, enumNumber, invoice, item, order, shipment, toWireAddress } from "./mappers.ts";
import { OrderlyError } from "./orderly-error.ts";
import { fetchInvoicePdf } from "./pdf.ts";
import { type CallOptions, RpcChannel } from "./rpc-channel.ts";
import type {
  Address,
  Invoice,
  Item,
  Order,
  Page,
  Shipment,
  ShipmentStatus,
  StockAdjustment,
} from "./types.ts";
import {
  FulfillmentService,
  InventoryService,
  InvoiceService,
  OrderService,
  ShipmentStatusSchema,
  type WireShipmentStatus,
} from "./wire.ts";

export interface TlsOptions {
  /** The CA that signed the servers' certificates, as PEM text or a PEM file's path (default: the system roots). */
  ca?: string | Buffer;
  /** Client certificate and key (PEM text or paths), for servers that ask for one (mTLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface OrderlyClientOptions {
  /** The order service's gRPC address (`127.0.0.1:50051`); also the default for the others. */
  address: string;
  /** Where inventory, invoice and fulfillment answer, when not at `address` (a gateway routes by path). */
  addresses?: { inventory?: string; invoice?: string; fulfillment?: string };
  /** Base URL of the invoice service's HTTP API (`http://127.0.0.1:8082`): the PDF is served there only. */
  invoiceHttpUrl?: string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** true: TLS with the system roots; an object: your CA and/or client certificate. Default plaintext. */
  tls?: boolean | TlsOptions;
  /** Deadline of a call without its own. Default 10 000 ms. */
  defaultDeadlineMs?: number;
  /** Attempts of an idempotent call answering UNAVAILABLE. Default 3; 1 turns retries off. */
  maxAttempts?: number;
}

export interface CreateOrderInput {
  customerId: string;
  lines: { sku: string; quantity: number }[];
  shippingAddress: Address;
  /** Makes the create safe to repeat: the same key returns the first order. Default: a fresh UUID. */
  idempotencyKey?: string;
  /** Answer with the PENDING order at once instead of waiting for the saga. */
  respondAsync?: boolean;
}

export interface ListOrdersInput {
  customerId: string;
  pageSize?: number;
  pageToken?: string;
}

export interface AdjustStockInput {
  /** Positive adds stock, negative removes it. */
  delta: number;
  /** Why, for the audit trail. */
  reason: string;
  /** Makes the adjustment safe to repeat. Default: a fresh UUID. */
  adjustmentId?: string;
}

export interface OrderlyClient {
  orders: {
    create(input: CreateOrderInput, options?: CallOptions): Promise<Order>;
    get(id: string, options?: CallOptions): Promise<Order>;
    list(input: ListOrdersInput, options?: CallOptions): Promise<Page<Order>>;
    cancel(id: string, options?: CallOptions & { reason?: string }): Promise<Order>;
    /** The current order, then each change, until a terminal status (DELIVERED, REJECTED, FAILED, CANCELLED). */
    watch(id: string, options?: CallOptions): AsyncIterable<Order>;
  };
  items: {
    list(
      input?: { pageSize?: number; pageToken?: string; skus?: string[] },
      options?: CallOptions,
    ): Promise<Page<Item>>;
    get(sku: string, options?: CallOptions): Promise<Item>;
    adjust(
      sku: string,
      input: AdjustStockInput,
      options?: CallOptions,
    ): Promise<{ item: Item; adjustment: StockAdjustment }>;
  };
  shipments: {
    get(id: string, options?: CallOptions): Promise<Shipment>;
    /** Moves a shipment forward: PICKING, PACKED, SHIPPED, DELIVERED. */
    advance(
      id: string,
      status: Exclude<ShipmentStatus, "UNSPECIFIED">,
      options?: CallOptions,
    ): Promise<Shipment>;
  };
  invoices: {
    get(id: string, options?: CallOptions): Promise<Invoice>;
    /** The invoice rendered as a PDF (over HTTP: needs `invoiceHttpUrl`). */
    pdf(id: string, options?: CallOptions): Promise<Uint8Array>;
  };
  close(): void;
}

/** A client of Orderly's public API. One channel per service address; call close() when done. */
export function createOrderlyClient(options: OrderlyClientOptions): OrderlyClient {
  const settings = {
    credentials: credentialsFor(options.tls),
    token: options.token,
    defaultDeadlineMs: options.defaultDeadlineMs ?? 10_000,
    maxAttempts: Math.max(1, options.maxAttempts ?? 3),
  };
  const channels = new Map<string, RpcChannel>();
  const channel = (address: string) => {
    let existing = channels.get(address);
    if (!existing) {
      existing = new RpcChannel(address, settings);
      channels.set(address, existing);
    }
    return existing;
  };
  const orderRpc = channel(options.address);
  const inventoryRpc = channel(options.addresses?.inventory ?? options.address);
  const invoiceRpc = channel(options.addresses?.invoice ?? options.address);
  const fulfillmentRpc = channel(options.addresses?.fulfillment ?? options.address);
  const found = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new OrderlyError({
        code: "INTERNAL",
        reason: "EMPTY_RESPONSE",
        message: `no ${what} in the response`,
      });
    return value;
  };

  return {
    orders: {
      async create(input, o) {
        const lines = input.lines.map((line, index) => ({
          sku: line.sku,
          quantity: int64(line.quantity, `lines[${index}].quantity`),
        }));
        const response = await orderRpc.unary(
          OrderService.method.createOrder,
          {
            customerId: input.customerId,
            lines,
            shippingAddress: toWireAddress(input.shippingAddress),
            respondAsync: input.respondAsync ?? false,
          },
          { ...o, idempotencyKey: input.idempotencyKey ?? randomUUID() },
        );
        return order(found(response.order, "order"));
      },
      async get(id, o) {
        const response = await orderRpc.unary(OrderService.method.getOrder, { id }, o);
        return order(found(response.order, "order"));
      },
      async list(input, o) {
        const response = await orderRpc.unary(
          OrderService.method.listOrders,
          { customerId: input.customerId, pageSize: input.pageSize ?? 0, pageToken: input.pageToken ?? "" },
          o,
        );
        return page(response.orders.map(order), response.nextPageToken);
      },
      async cancel(id, o) {
        const response = await orderRpc.unary(
          OrderService.method.cancelOrder,
          { id, reason: o?.reason ?? "" },
          o,
        );
        return order(found(response.order, "order"));
      },
      async *watch(id, o) {
        for await (const response of orderRpc.serverStream(OrderService.method.watchOrder, { id }, o)) {
          if (response.order) yield order(response.order);
        }
      },
    },
    items: {
      async list(input = {}, o) {
        const response = await inventoryRpc.unary(
          InventoryService.method.listItems,
          { pageSize: input.pageSize ?? 0, pageToken: input.pageToken ?? "", skus: input.skus ?? [] },
          o,
        );
        return page(response.items.map(item), response.nextPageToken);
      },
      async get(sku, o) {
        const response = await inventoryRpc.unary(InventoryService.method.getItem, { sku }, o);
        return item(found(response.item, "item"));
      },
      async adjust(sku, input, o) {
        const response = await inventoryRpc.unary(
          InventoryService.method.adjustStock,
          {
            sku,
            delta: int64(input.delta, "delta"),
            reason: input.reason,
            adjustmentId: input.adjustmentId ?? randomUUID(),
          },
          // AdjustStock is idempotent once it carries an adjustment id, and it always does here.
          { ...o, safeToRetry: true },
        );
        return {
          item: item(found(response.item, "item")),
          adjustment: adjustment(found(response.adjustment, "adjustment")),
        };
      },
    },
    shipments: {
      async get(id, o) {
        const response = await fulfillmentRpc.unary(FulfillmentService.method.getShipment, { id }, o);
        return shipment(found(response.shipment, "shipment"));
      },
      async advance(id, status, o) {
        const toStatus = enumNumber(ShipmentStatusSchema, status);
        if (toStatus === undefined)
          throw invalid("to_status", `must be one of PICKING, PACKED, SHIPPED, DELIVERED`);
        const response = await fulfillmentRpc.unary(
          FulfillmentService.method.advanceShipment,
          { id, toStatus: toStatus as WireShipmentStatus },
          o,
        );
        return shipment(found(response.shipment, "shipment"));
      },
    },
    invoices: {
      async get(id, o) {
        const response = await invoiceRpc.unary(InvoiceService.method.getInvoice, { id }, o);
        return invoice(found(response.invoice, "invoice"));
      },
      async pdf(id, o) {
        if (!options.invoiceHttpUrl) {
          throw new OrderlyError({
            code: "FAILED_PRECONDITION",
            reason: "INVOICE_HTTP_URL_MISSING",
            message: "invoices.pdf needs the client option invoiceHttpUrl (the PDF is served over HTTP only)",
          });
        }
        return fetchInvoicePdf(options.invoiceHttpUrl, id, {
          token: options.token,
          deadlineMs: o?.deadlineMs ?? settings.defaultDeadlineMs,
          signal: o?.signal,
        });
      },
    },
    close() {
      for (const c of channels.values()) c.close();
    },
  };
}

function page<T>(items: T[], nextPageToken: string): Page<T> {
  return nextPageToken ? { items, nextPageToken } : { items };
}

function int64(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value)) throw invalid(field, "must be a whole number");
  return BigInt(value);
}

function invalid(field: string, description: string): OrderlyError {
  return new OrderlyError({
    code: "INVALID_ARGUMENT",
    reason: "VALIDATION_FAILED",
    message: `${field}: ${description}`,
    fieldViolations: [{ field, description }],
  });
}

function credentialsFor(tls: OrderlyClientOptions["tls"]): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  if (tls === true) return grpc.credentials.createSsl();
  const pem = (v: string | Buffer | undefined) =>
    v === undefined
      ? null
      : Buffer.isBuffer(v)
        ? v
        : v.includes("-----BEGIN")
          ? Buffer.from(v)
          : readFileSync(v);
  return grpc.credentials.createSsl(pem(tls.ca), pem(tls.key), pem(tls.cert));
}
