import { multiply } from "../money.ts";
import { type Order, reservationIdOf } from "../order.ts";
import { OrderReason } from "../order-errors.ts";
import type { FulfillmentPort } from "../ports/fulfillment.port.ts";
import type { InventoryPort } from "../ports/inventory.port.ts";
import type { InvoicePort } from "../ports/invoice.port.ts";
import type { SagaStep, StepResult } from "./saga-engine.ts";

export interface OrderPeers {
  inventory: InventoryPort;
  invoice: InvoicePort;
  fulfillment: FulfillmentPort;
}

/**
 * The order saga as a table: reserve (which also prices the lines), then invoice and ship at once.
 * Each step is idempotent on a key derived from the order id, each undo is a no-op when its step
 * never happened, and compensation runs the undos bottom-up: cancel shipment, void invoice, release.
 */
export function orderSagaSteps(peers: OrderPeers, now: () => Date): SagaStep<Order>[] {
  const { inventory, invoice, fulfillment } = peers;
  return [
    {
      name: "RESERVE",
      after: [],
      isDone: (order) => order.reservationId !== undefined,
      run: async (order): Promise<StepResult<Order>> => {
        const reservationId = reservationIdOf(order.id);
        const outcome = await inventory.reserve(reservationId, order.lines);
        if (outcome.kind === "rejected") {
          const message = `${outcome.reason}: ${outcome.skus.join(", ")}`;
          const details = { skus: outcome.skus };
          return { kind: "rejected", reason: outcome.reason, message, nothingHeld: true, details };
        }
        if (outcome.kind === "lost") {
          const message = "the reservation was released or expired before the order was confirmed";
          return { kind: "rejected", reason: OrderReason.RESERVATION_LOST, message, nothingHeld: false };
        }
        const reserved = new Map(outcome.lines.map((line) => [line.sku, line]));
        return {
          kind: "done",
          apply: (current) => ({
            ...current,
            reservationId,
            updatedAt: now(),
            lines: current.lines.map((line) => {
              const priced = reserved.get(line.sku);
              if (!priced) return line;
              const unitPrice = priced.unitPrice;
              return { ...line, name: priced.name, unitPrice, lineTotal: multiply(unitPrice, line.quantity) };
            }),
          }),
        };
      },
      undo: {
        name: "RELEASE_STOCK",
        run: async (order) => {
          await inventory.release(reservationIdOf(order.id));
          return "undone";
        },
        whenRefused: "needs-attention",
      },
    },
    {
      name: "INVOICE",
      after: ["RESERVE"],
      isDone: (order) => order.invoiceId !== undefined,
      run: async (order): Promise<StepResult<Order>> => {
        const currencies = new Set(order.lines.map((line) => line.unitPrice?.currency));
        const [currency] = currencies;
        if (currencies.size !== 1 || currency === undefined) {
          const message = "order lines are priced in different currencies; one invoice needs one";
          return { kind: "rejected", reason: OrderReason.MIXED_CURRENCIES, message, nothingHeld: false };
        }
        const outcome = await invoice.issue({
          orderId: order.id,
          customer: {
            id: order.customerId,
            name: order.shippingAddress.name,
            address: order.shippingAddress,
          },
          currency,
          lines: order.lines.map((line) => ({
            sku: line.sku,
            description: line.name || line.sku,
            quantity: line.quantity,
            unitPrice: line.unitPrice ?? { currency, amountMinor: 0 },
          })),
        });
        if (outcome.kind === "rejected") {
          return { kind: "rejected", reason: outcome.reason, message: outcome.message, nothingHeld: false };
        }
        return {
          kind: "done",
          apply: (current) => ({
            ...current,
            invoiceId: outcome.invoiceId,
            totals: outcome.totals,
            updatedAt: now(),
          }),
        };
      },
      undo: {
        name: "VOID_INVOICE",
        run: (order, reason) =>
          invoice.voidForOrder(order.id, reason).then((r) => (r === "voided" ? "undone" : "refused")),
        whenRefused: "needs-attention",
      },
    },
    {
      name: "SHIP",
      after: ["RESERVE"],
      isDone: (order) => order.shipmentId !== undefined,
      run: async (order): Promise<StepResult<Order>> => {
        const outcome = await fulfillment.createShipment({
          orderId: order.id,
          customerId: order.customerId,
          lines: order.lines,
          address: order.shippingAddress,
        });
        if (outcome.kind === "rejected") {
          return { kind: "rejected", reason: outcome.reason, message: outcome.message, nothingHeld: false };
        }
        return {
          kind: "done",
          apply: (current) => ({ ...current, shipmentId: outcome.shipmentId, updatedAt: now() }),
        };
      },
      undo: {
        name: "CANCEL_SHIPMENT",
        run: (order, reason) =>
          fulfillment
            .cancelForOrder(order.id, reason)
            .then((r) => (r === "cancelled" ? "undone" : "refused")),
        whenRefused: "goods-left",
      },
    },
  ];
}
