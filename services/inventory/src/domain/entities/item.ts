import type { Money } from "../values/money.ts";

/** A stock keeping unit: what it is called, what it costs, and how much of it is in the warehouse. */
export interface Item {
  sku: string;
  name: string;
  unitPrice: Money;
  /** Units physically in the warehouse. */
  onHand: number;
  /** Units held by reservations that are neither committed nor released yet. */
  reserved: number;
  /** onHand - reserved; never below zero (a CHECK constraint backs this up). */
  available: number;
  updatedAt: Date;
}

export type ItemState = Omit<Item, "available">;

export function itemFrom(state: ItemState): Item {
  return { ...state, available: state.onHand - state.reserved };
}
