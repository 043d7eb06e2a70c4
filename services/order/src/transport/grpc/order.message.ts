import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { toAddressMessage } from "@orderly/contracts/address";
import { toMoneyMessage } from "@orderly/contracts/money";
import {
  type Order as OrderMessage,
  OrderSchema,
  OrderStatus as OrderStatusMessage,
} from "@orderly/contracts/order";
import type { Order } from "../../domain/order.ts";

/** Domain order -> wire order. The one place the order's gRPC shape is decided. */
export function toOrderMessage(order: Order): OrderMessage {
  return create(OrderSchema, {
    id: order.id,
    customerId: order.customerId,
    status: OrderStatusMessage[order.status],
    lines: order.lines.map((l) => ({
      sku: l.sku,
      quantity: BigInt(l.quantity),
      name: l.name ?? "",
      ...(l.unitPrice ? { unitPrice: toMoneyMessage(l.unitPrice) } : {}),
      ...(l.lineTotal ? { lineTotal: toMoneyMessage(l.lineTotal) } : {}),
    })),
    shippingAddress: toAddressMessage(order.shippingAddress),
    ...(order.totals
      ? {
          subtotal: toMoneyMessage(order.totals.subtotal),
          tax: toMoneyMessage(order.totals.tax),
          total: toMoneyMessage(order.totals.total),
        }
      : {}),
    invoiceId: order.invoiceId ?? "",
    shipmentId: order.shipmentId ?? "",
    statusReason: order.statusReason,
    createdAt: timestampFromDate(order.createdAt),
    updatedAt: timestampFromDate(order.updatedAt),
  });
}
