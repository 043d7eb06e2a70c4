/**
 * The one file that imports generated code, and the contracts' one mapping of it (the address).
 * @orderly/contracts is private to the monorepo: the build compiles the files it uses into dist/
 * and points these specifiers at them.
 */
export { toAddressMessage } from "@orderly/contracts/address";
export type { Address as WireAddress, Money as WireMoney } from "@orderly/contracts/common";
export {
  FulfillmentService,
  type Shipment as WireShipment,
  ShipmentStatus as WireShipmentStatus,
  ShipmentStatusSchema,
} from "@orderly/contracts/fulfillment";
export {
  InventoryService,
  type Item as WireItem,
  type StockAdjustment as WireStockAdjustment,
} from "@orderly/contracts/inventory";
export {
  type Invoice as WireInvoice,
  InvoiceService,
  InvoiceStatus as WireInvoiceStatus,
  InvoiceStatusSchema,
} from "@orderly/contracts/invoice";
export {
  type Order as WireOrder,
  OrderService,
  OrderStatus as WireOrderStatus,
  OrderStatusSchema,
} from "@orderly/contracts/order";
