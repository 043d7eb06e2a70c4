/** Integer minor units plus an ISO 4217 code; never floating point. */
export interface Money {
  currency: string;
  amountMinor: number;
}

export function multiply(money: Money, quantity: number): Money {
  const amountMinor = money.amountMinor * quantity;
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError("amount exceeds the safe integer range");
  return { currency: money.currency, amountMinor };
}
