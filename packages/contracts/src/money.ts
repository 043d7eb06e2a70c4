import { create } from "@bufbuild/protobuf";
import { type Money as MoneyMessage, MoneySchema } from "./gen/orderly/common/v1/common_pb.ts";

/** Money as services hold it: integer minor units as a safe JS integer, plus the ISO 4217 code. */
export interface Money {
  currency: string;
  amountMinor: number;
}

export function toMoneyMessage(money: Money): MoneyMessage {
  return create(MoneySchema, { currencyCode: money.currency, amountMinor: BigInt(money.amountMinor) });
}

/**
 * The wire's int64 as a safe JS integer; undefined when the message is absent. Amounts beyond
 * 2^53 minor units are refused rather than silently rounded.
 */
export function fromMoneyMessage(message: MoneyMessage | undefined): Money | undefined {
  if (!message) return undefined;
  const amountMinor = Number(message.amountMinor);
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError("amount_minor exceeds the safe integer range");
  return { currency: message.currencyCode, amountMinor };
}
