import type { InventoryService } from "@orderly/contracts/inventory";
import { fromMoneyMessage } from "@orderly/contracts/money";
import { AppError, Code } from "@orderly/kit/errors";
import type { Client } from "@orderly/kit/grpc";
import type { InventoryPort } from "../domain/ports.ts";

/** InventoryPort over inventory's gRPC API. Errors arrive as AppErrors with inventory's reasons. */
export class InventoryAdapter implements InventoryPort {
  readonly #client: Client<typeof InventoryService>;

  constructor(client: Client<typeof InventoryService>) {
    this.#client = client;
  }

  async findUnknownSkus(skus: readonly string[]): Promise<string[]> {
    const { items } = await this.#client.listItems({ skus: [...skus], pageSize: 100 });
    const known = new Set(items.map((i) => i.sku));
    return skus.filter((sku) => !known.has(sku));
  }

  async reserve(reservationId: string, lines: readonly { sku: string; quantity: number }[]) {
    const { reservation } = await this.#client.reserve(
      { reservationId, lines: lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })) },
      { idempotencyKey: reservationId },
    );
    return (reservation?.lines ?? []).map((line) => {
      const unitPrice = fromMoneyMessage(line.unitPrice);
      if (!unitPrice)
        throw new AppError({ code: Code.INTERNAL, reason: "INTERNAL", message: "reservation without price" });
      return { sku: line.sku, quantity: Number(line.quantity), unitPrice };
    });
  }

  async release(reservationId: string): Promise<void> {
    try {
      await this.#client.release({ reservationId }, { idempotencyKey: `${reservationId}:release` });
    } catch (error) {
      // Never reserved (the reserve step failed before holding anything): nothing to give back.
      if (error instanceof AppError && error.reason === "RESERVATION_NOT_FOUND") return;
      throw error;
    }
  }

  async commit(reservationId: string): Promise<void> {
    await this.#client.commit({ reservationId }, { idempotencyKey: `${reservationId}:commit` });
  }
}
