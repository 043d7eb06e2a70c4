export {
  type AdjustStockInput,
  type CreateOrderInput,
  createOrderlyClient,
  type ListOrdersInput,
  type OrderlyClient,
  type OrderlyClientOptions,
  type TlsOptions,
} from "./client.ts";
export {
  type FieldViolation,
  isOrderlyError,
  OrderlyError,
  type OrderlyErrorInit,
  STATUS_NAMES,
  type StatusName,
} from "./orderly-error.ts";
export type { CallOptions } from "./rpc-channel.ts";
export {
  type Address,
  type Invoice,
  type InvoiceLine,
  type InvoiceStatus,
  type Item,
  type Money,
  ORDER_STATUSES,
  type Order,
  type OrderLine,
  type OrderStatus,
  type Page,
  SHIPMENT_STATUSES,
  type Shipment,
  type ShipmentStatus,
  type StockAdjustment,
  TERMINAL_ORDER_STATUSES,
} from "./types.ts";
