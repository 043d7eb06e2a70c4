import type { ChannelCredentials } from "@grpc/grpc-js";
import { type Invoice, InvoiceService } from "@orderly/contracts/invoice";
import type { AddressFields } from "@orderly/contracts/rules";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { type Env, type RunningService, startInProcess } from "@orderly/testkit/harness";
import { expect } from "vitest";
import { main } from "../src/main.ts";

interface MoneyInit {
  currencyCode: string;
  amountMinor: bigint;
}

export interface LineInit {
  sku: string;
  description: string;
  quantity: bigint;
  unitPrice: MoneyInit;
}

/** An IssueInvoice request as plain data (a typed client takes it), so tests can spread and vary it. */
export interface IssueRequest {
  orderId: string;
  customer: {
    id: string;
    name: string;
    email: string;
    address: AddressFields;
  };
  currencyCode: string;
  lines: LineInit[];
}

export interface RunningInvoice {
  running: RunningService;
  grpc: Client<typeof InvoiceService>;
  /** IssueInvoice that insists on an answer with an invoice. */
  issue(request: IssueRequest): Promise<Invoice>;
  stop(): Promise<void>;
}

/** The invoice service through its own main(), on a fresh database of `kind`, with a gRPC client. */
export async function startInvoice(
  kind: TestDatabaseKind,
  label: string,
  env: Env = {},
  /** How the test's gRPC client connects: with TLS on, as the `order` service would. */
  credentials?: ChannelCredentials,
): Promise<RunningInvoice> {
  const testDb = await createTestDatabase(kind, label);
  // The harness takes any service; main's is typed by its (absent) peers and its schema.
  const start = (e: Env) => main(e) as unknown as Promise<Service<string, unknown>>;
  const running = await startInProcess(start, { DATABASE_URL: testDb.url, ...env });
  const client = createGrpcClient(InvoiceService, {
    ...(credentials ? { credentials } : {}),
    target: running.grpcAddress,
    peer: "invoice",
    log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
    metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
    // A test sees each answer as the server gave it, not a retried one.
    retry: false,
    // Not the 5 s default: on PGlite (in-thread, one connection) 30 concurrent issues on a loaded
    // 2-core CI box take seconds; these tests are about answers and numbers, not latency.
    defaultDeadlineMs: 30_000,
    breaker: false,
  });
  return {
    running,
    grpc: client,
    issue: async (request) => {
      const { invoice } = await client.issueInvoice(request);
      if (invoice === undefined) throw new Error("IssueInvoice answered without an invoice");
      return invoice;
    },
    stop: async () => {
      client.close();
      await running.stop();
      await testDb.drop();
    },
  };
}

export const eur = (amountMinor: bigint): MoneyInit => ({ currencyCode: "EUR", amountMinor });

/**
 * A valid IssueInvoice request for `orderId`, as the order saga sends it (customer name left empty,
 * the shipping address's name stands in): 2 x 19.99 + 1 x 45.50 EUR = 85.48, tax 19% = 16.24.
 */
export function issueRequest(orderId: string, overrides: Partial<IssueRequest> = {}): IssueRequest {
  return {
    orderId,
    customer: {
      id: "customer-1",
      name: "",
      email: "ada@example.com",
      address: {
        name: "Ada Lovelace",
        line1: "Unter den Linden 1",
        line2: "",
        city: "Berlin",
        postalCode: "10117",
        countryCode: "DE",
      },
    },
    currencyCode: "EUR",
    lines: [
      { sku: "BOOK-1", description: "Notes on the Analytical Engine", quantity: 2n, unitPrice: eur(1999n) },
      { sku: "PEN-7", description: "Fountain pen", quantity: 1n, unitPrice: eur(4550n) },
    ],
    ...overrides,
  };
}

/** INV-2026-000042 -> 42; fails the test on any other shape. */
export function sequenceOf(number: string): number {
  const match = /^INV-(\d{4})-(\d{6,})$/.exec(number);
  expect(match, `${number} is not an invoice number`).not.toBeNull();
  return Number(match?.[2]);
}
