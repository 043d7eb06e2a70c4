/** The small demo catalogue `pnpm start` seeds once (idempotently) into inventory. */
export const DEMO_ITEMS = [
  { sku: "MUG-BLUE", name: "Blue enamel mug", priceMinor: 1250, stock: 500 },
  { sku: "TEE-BLACK-M", name: "Black T-shirt, M", priceMinor: 2400, stock: 300 },
  { sku: "SOCKS-3PK", name: "Wool socks, 3 pairs", priceMinor: 1800, stock: 800 },
  { sku: "POSTER-A2", name: "Orderly poster, A2", priceMinor: 900, stock: 50 },
] as const;

export const DEMO_CURRENCY = "EUR";
