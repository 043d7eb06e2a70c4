import type { Money as MoneyMessage } from "@orderly/contracts/common";
import { fromMoneyMessage } from "@orderly/contracts/money";
import { validationError } from "@orderly/kit/errors";
import type { Money } from "../../domain/values/money.ts";

/* Wire -> domain for the values protobuf cannot express as the domain holds them. */

/**
 * An int64 field as a JS number. Values beyond ±(2^53 - 1) name the field rather than lose precision;
 * everything else (zero, negatives) is the use case's to judge.
 */
export function int64Field(value: bigint, field: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw validationError({ field, description: "is out of range" });
  return number;
}

/** A Money field; absent is "is required" (proto3 cannot mark a message field required). */
export function priceField(message: MoneyMessage | undefined, field: string): Money {
  let money: ReturnType<typeof fromMoneyMessage>;
  try {
    money = fromMoneyMessage(message);
  } catch {
    // fromMoneyMessage refuses amounts beyond the safe integer range rather than round them.
    throw validationError({ field: `${field}.amount_minor`, description: "is out of range" });
  }
  if (money === undefined) throw validationError({ field, description: "is required" });
  return { currencyCode: money.currency, amountMinor: money.amountMinor };
}
