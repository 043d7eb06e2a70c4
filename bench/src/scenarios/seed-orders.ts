import { openDatabase, runSqlScript } from "@orderly/kit/db";

/**
 * Writes N finished orders straight into the four services' databases (one `INSERT … SELECT FROM
 * generate_series` per table, the four databases in parallel), so the pre-seeded scenario measures
 * order creation with 200,000 orders already there: an index that grows, a scan that grows, a
 * sweep that reads every row would show as lost throughput.
 *
 * Every seeded row is recognizable, so the consistency check leaves it out (see SEED_MARKERS):
 * idempotency keys, reservation ids and invoice numbers start with `seed-`, seeded order ids with
 * `00000000-` (a real UUIDv7 starts with the time), and the only SKU is SEED_SKU.
 *
 * Schemas change (the order saga is being redesigned): the expressions below are per column, and
 * only the columns the table really has are written (read from information_schema at run time).
 * A NOT NULL column without a default that is not listed here stops the seeding with its name:
 * add it to SEED_COLUMNS. A table that no longer exists is skipped and reported.
 */
export const SEED_SKU = "SEED-SKU-001";
export const SEED_MARKERS = {
  idempotencyKeyPrefix: "seed-",
  orderIdPrefix: "00000000-",
  reservationIdPrefix: "seed-",
} as const;

const orderId = (kind: "7000" | "8000" | "9000") =>
  `('00000000-0000-7000-${kind}-' || lpad(to_hex(i), 12, '0'))::uuid`;
const ORDER_ID = orderId("7000");
const INVOICE_ID = orderId("8000");
const SHIPMENT_ID = orderId("9000");
const PRICE = 1000;
const TAX = 200;
const ADDRESS = {
  name: "Seed Customer",
  line1: "1 Seed Street",
  line2: "",
  city: "London",
  postal_code: "N1 9GU",
  country_code: "GB",
};
/** Seeded invoices are numbered in a year of their own, so today's counter is left alone. */
const SEED_YEAR = 2000;

type Columns = Record<string, string>;
interface SeedTable {
  table: string;
  columns: Columns;
  /** Without this table the seeded databases would not look like real ones: stop instead of skipping. */
  required: boolean;
}

/** Per database, the tables in insertion order (parents first) and each column's SQL expression of `i`. */
export const SEED_COLUMNS: Record<"order" | "inventory" | "invoice" | "fulfillment", SeedTable[]> = {
  order: [
    {
      table: "orders",
      required: true,
      columns: {
        id: ORDER_ID,
        customer_id: "'seed-customer-' || (i % 5000)",
        status: "'CONFIRMED'",
        lines: `'[{"sku":"${SEED_SKU}","quantity":1,"unit_price_minor":${PRICE},"currency":"EUR"}]'::jsonb`,
        shipping_address: `'${JSON.stringify(ADDRESS)}'::jsonb`,
        currency: "'EUR'",
        subtotal_minor: String(PRICE),
        tax_minor: String(TAX),
        total_minor: String(PRICE + TAX),
        reservation_id: "'seed-res-' || i",
        invoice_id: `${INVOICE_ID}::text`,
        shipment_id: `${SHIPMENT_ID}::text`,
        status_reason: "''",
        cancel_requested: "false",
        idempotency_key: "'seed-' || i",
        request_fingerprint: "'seed'",
        created_at: "now() - interval '30 days' + i * interval '1 second'",
        updated_at: "now() - interval '30 days' + i * interval '1 second'",
        version: "4",
        saga_phase: "'DONE'",
      },
    },
    {
      table: "order_sagas",
      required: false,
      columns: {
        order_id: ORDER_ID,
        phase: "'DONE'",
        target_status: "'CONFIRMED'",
        reason: "''",
        attempts: "0",
        next_attempt_at: "now() - interval '30 days'",
        last_error: "''",
      },
    },
  ],
  inventory: [
    {
      table: "reservations",
      required: true,
      columns: {
        reservation_id: "'seed-res-' || i",
        status: "'HELD'",
        created_at: "now() - interval '30 days'",
        expires_at: "now() + interval '365 days'",
        updated_at: "now() - interval '30 days'",
      },
    },
    {
      table: "reservation_lines",
      required: true,
      columns: {
        reservation_id: "'seed-res-' || i",
        line_no: "0",
        name: "'Seed item'",
        sku: `'${SEED_SKU}'`,
        quantity: "1",
        unit_price_minor: String(PRICE),
        currency_code: "'EUR'",
      },
    },
  ],
  invoice: [
    {
      table: "invoices",
      required: true,
      columns: {
        id: INVOICE_ID,
        number: `'seed-${SEED_YEAR}-' || lpad(i::text, 7, '0')`,
        year: String(SEED_YEAR),
        series: "'INV'",
        sequence: "i",
        order_id: `${ORDER_ID}::text`,
        customer_id: "'seed-customer-' || (i % 5000)",
        customer_name: `'${ADDRESS.name}'`,
        customer_email: "''",
        address_name: `'${ADDRESS.name}'`,
        address_line1: `'${ADDRESS.line1}'`,
        address_line2: "''",
        address_city: `'${ADDRESS.city}'`,
        address_postal_code: `'${ADDRESS.postal_code}'`,
        address_country_code: `'${ADDRESS.country_code}'`,
        currency_code: "'EUR'",
        subtotal_minor: String(PRICE),
        tax_rate_bps: "2000",
        tax_minor: String(TAX),
        total_minor: String(PRICE + TAX),
        status: "'ISSUED'",
        issued_at: "now() - interval '30 days'",
      },
    },
    {
      table: "invoice_lines",
      required: false,
      columns: {
        invoice_id: INVOICE_ID,
        position: "0",
        sku: `'${SEED_SKU}'`,
        description: "'Seed item'",
        quantity: "1",
        unit_price_minor: String(PRICE),
        line_total_minor: String(PRICE),
      },
    },
  ],
  fulfillment: [
    {
      table: "shipments",
      required: true,
      columns: {
        id: SHIPMENT_ID,
        order_id: `${ORDER_ID}::text`,
        status: "'DELIVERED'",
        lines: `'[{"sku":"${SEED_SKU}","quantity":1}]'::jsonb`,
        address_name: `'${ADDRESS.name}'`,
        address_line1: `'${ADDRESS.line1}'`,
        address_line2: "''",
        address_city: `'${ADDRESS.city}'`,
        address_postal_code: `'${ADDRESS.postal_code}'`,
        address_country_code: `'${ADDRESS.country_code}'`,
        carrier: "'seed'",
        tracking_number: "'SEED' || i",
        created_at: "now() - interval '30 days'",
        updated_at: "now() - interval '29 days'",
      },
    },
  ],
};

/** Rows written besides the per-order ones: the seed SKU holding the seeded reservations, the seed year's counter. */
const extraStatements = (n: number): Record<keyof typeof SEED_COLUMNS, string[]> => ({
  order: [],
  inventory: [
    `insert into items (sku, name, unit_price_minor, currency_code, on_hand, reserved, created_at, updated_at)
     values ('${SEED_SKU}', 'Seed item', ${PRICE}, 'EUR', ${n * 10}, ${n}, now(), now())
     on conflict (sku) do nothing`,
  ],
  invoice: [
    `insert into invoice_counters (series, year, last) values ('INV', ${SEED_YEAR}, ${n}) on conflict (series, year) do nothing`,
  ],
  fulfillment: [],
});

interface ColumnInfo {
  column_name: string;
  is_nullable: string;
  column_default: string | null;
  is_identity: string;
  is_generated: string;
}
interface InfoSchema {
  "information_schema.columns": ColumnInfo & { table_name: string; table_schema: string };
}

/** The INSERT for one table, using only the columns it has; throws naming a required column we do not fill. */
export function seedInsert(table: SeedTable, columns: ColumnInfo[], n: number): string {
  const present = new Set(columns.map((c) => c.column_name));
  const unfilled = columns.filter(
    (c) =>
      !(c.column_name in table.columns) &&
      c.is_nullable === "NO" &&
      c.column_default === null &&
      c.is_identity !== "YES" &&
      c.is_generated !== "ALWAYS",
  );
  if (unfilled.length > 0)
    throw new Error(
      `seeding ${table.table}: no value for NOT NULL column(s) ${unfilled.map((c) => c.column_name).join(", ")}; add them to SEED_COLUMNS in bench/src/scenarios/seed-orders.ts`,
    );
  const names = Object.keys(table.columns).filter((c) => present.has(c));
  return `insert into ${table.table} (${names.join(", ")}) select ${names.map((c) => table.columns[c]).join(", ")} from generate_series(1, ${n}) as i`;
}

/** Seeds `n` orders into the four databases (PostgreSQL URLs per service), then ANALYZEs them. */
export async function seedOrders(
  urls: Record<string, string>,
  n: number,
  log: (line: string) => void,
): Promise<void> {
  await Promise.all(
    (Object.keys(SEED_COLUMNS) as (keyof typeof SEED_COLUMNS)[]).map(async (service) => {
      const url = urls[service];
      if (!url) throw new Error(`no database for ${service}`);
      const database = await openDatabase<InfoSchema>({ url, poolSize: 1 });
      const run = (text: string) =>
        runSqlScript(database.db as unknown as Parameters<typeof runSqlScript>[0], text);
      try {
        for (const statement of extraStatements(n)[service]) await run(statement);
        for (const table of SEED_COLUMNS[service]) {
          const columns = await database.db
            .selectFrom("information_schema.columns")
            .select(["column_name", "is_nullable", "column_default", "is_identity", "is_generated"])
            .where("table_name", "=", table.table)
            .where("table_schema", "=", "public")
            .execute();
          if (columns.length === 0) {
            if (table.required)
              throw new Error(`seeding: table ${table.table} not found in ${service}'s database`);
            log(`  seed: ${service}.${table.table} does not exist, skipped`);
            continue;
          }
          await run(seedInsert(table, columns, n));
        }
        await run(`analyze`);
      } finally {
        await database.close();
      }
    }),
  );
}
