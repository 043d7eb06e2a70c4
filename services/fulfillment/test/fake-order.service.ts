import type { ShipmentEvent } from "@orderly/contracts/fulfillment";
import { OrderService } from "@orderly/contracts/order";
import { AppError, Code } from "@orderly/kit/errors";
import { GrpcServer, partialService, type ServiceImplementation } from "@orderly/kit/grpc";
import { Health, Lifecycle } from "@orderly/kit/health";
import { silentKit } from "./fulfillment.test-support.ts";

export interface ReceivedEvent {
  event: ShipmentEvent;
  idempotencyKey: string | undefined;
  /** What the fake answered. */
  outcome: "recorded" | "duplicate" | "not-found";
}

/**
 * Decides the fake's answer to one call, given how often this event id came before; undefined for
 * the default (recorded the first time it is acknowledged, duplicate after).
 */
export type EventAnswer = (
  event: ShipmentEvent,
  earlierCalls: number,
) => ReceivedEvent["outcome"] | undefined;

/**
 * An order service that only records shipment events, on a port of the test's choosing. By default
 * it answers `duplicate: false` the first time an event id arrives and `duplicate: true` after.
 */
export class FakeOrderService {
  readonly received: ReceivedEvent[] = [];
  readonly #server: GrpcServer;
  readonly #answer: EventAnswer | undefined;

  constructor(answer?: EventAnswer) {
    this.#answer = answer;
    const lifecycle = new Lifecycle();
    const health = new Health({ lifecycle, service: "fake-order", version: "0", instance: "fake-order" });
    lifecycle.moveTo("SERVING");
    this.#server = new GrpcServer({ ...silentKit(), health, service: "fake-order", reflection: false });
    this.#server.add(OrderService, this.#implementation());
  }

  listen(port: number): Promise<number> {
    return this.#server.listen("127.0.0.1", port);
  }

  stop(): Promise<void> {
    return this.#server.drain(0);
  }

  /** Events for one shipment, as they arrived (duplicates included), that the fake acknowledged. */
  acknowledged(shipmentId: string): ShipmentEvent[] {
    return this.received
      .filter((r) => r.event.shipmentId === shipmentId && r.outcome !== "not-found")
      .map((r) => r.event);
  }

  #implementation(): ServiceImplementation<typeof OrderService> {
    return partialService(OrderService, {
      recordShipmentEvent: async (request, ctx) => {
        const event = request.event;
        if (!event)
          throw new AppError({ code: Code.INVALID_ARGUMENT, reason: "VALIDATION_FAILED", message: "event" });
        const earlier = this.received.filter((r) => r.event.eventId === event.eventId);
        const seen = earlier.some((r) => r.outcome !== "not-found");
        const outcome = this.#answer?.(event, earlier.length) ?? (seen ? "duplicate" : "recorded");
        this.received.push({ event, idempotencyKey: ctx.idempotencyKey, outcome });
        if (outcome === "not-found") {
          throw new AppError({
            code: Code.NOT_FOUND,
            reason: "ORDER_NOT_FOUND",
            message: `order ${event.orderId} not found`,
          });
        }
        return { duplicate: outcome === "duplicate" };
      },
    });
  }
}
