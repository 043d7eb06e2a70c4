/** InventoryService/GetItem's answer on both sides of the grpc scenario. */
import { timestampFromMs } from "@bufbuild/protobuf/wkt";

export const FIXED_ITEM = {
  sku: "BENCH-MUG-BLUE",
  name: "Blue enamel mug",
  unitPrice: { currencyCode: "EUR", amountMinor: 1250n },
  onHand: 1000n,
  reserved: 10n,
  available: 990n,
  updatedAt: timestampFromMs(Date.UTC(2026, 10, 1)),
};
