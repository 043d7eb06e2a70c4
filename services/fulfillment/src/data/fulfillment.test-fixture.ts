import { type Database, openDatabase } from "@orderly/kit/db";
import type { Clock } from "@orderly/kit/domain";
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { type KyselyPlugin, sql } from "kysely";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { UnitOfWork } from "../domain/ports/unit-of-work.port.ts";
import { makeAdvanceShipment } from "../domain/use-cases/advance-shipment.use-case.ts";
import { makeCancelShipment } from "../domain/use-cases/cancel-shipment.use-case.ts";
import { makeCreateShipment } from "../domain/use-cases/create-shipment.use-case.ts";
import { makeGetShipment } from "../domain/use-cases/get-shipment.use-case.ts";
import { makeListShipments } from "../domain/use-cases/list-shipments.use-case.ts";
import { KyselyShipmentRepository } from "./kysely-shipment.repository.ts";
import { KyselyUnitOfWork } from "./kysely-unit-of-work.ts";
import { migrationsFolder } from "./migrations-folder.ts";
import { RandomTrackingNumberGenerator } from "./random-tracking-number.generator.ts";
import type { DB } from "./schema.ts";
import type { ShipmentStatusChangedPayload } from "./shipment-status-changed.payload.ts";
import { Uuidv7IdGenerator } from "./uuidv7-id.generator.ts";

/** A clock tests move by hand, so every status change has a known, distinct time. */
export class ManualClock implements Clock {
  #now: Date;

  constructor(start: Date) {
    this.#now = start;
  }

  now(): Date {
    return this.#now;
  }

  advance(ms: number): Date {
    this.#now = new Date(this.#now.getTime() + ms);
    return this.#now;
  }
}

export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: ShipmentStatusChangedPayload;
}

/** Migrated fulfillment database of one kind with the use cases wired the way main.ts will wire them. */
export class FulfillmentFixture {
  readonly clock = new ManualClock(new Date("2026-11-01T10:00:00.000Z"));
  readonly database: Database<DB>;
  readonly #testDatabase: TestDatabase;

  private constructor(database: Database<DB>, testDatabase: TestDatabase) {
    this.database = database;
    this.#testDatabase = testDatabase;
  }

  static async open(kind: TestDatabaseKind): Promise<FulfillmentFixture> {
    const testDatabase = await createTestDatabase(kind, "fulfillment");
    const database = await openDatabase<DB>({ url: testDatabase.url, migrationsFolder: migrationsFolder() });
    await database.migrate();
    return new FulfillmentFixture(database, testDatabase);
  }

  /**
   * Counts the statements the database executes through `counted` (a transaction's BEGIN and COMMIT
   * included), so tests can hold a use case to its round trips.
   */
  countingDatabase(): { counted: Database<DB>; statements: () => number } {
    let statements = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      // Once per executed statement (transformQuery also runs for every nested subquery builder).
      transformResult: async (args) => {
        statements++;
        return args.result;
      },
    };
    const db = this.database.db.withPlugin(counter);
    const counted: Database<DB> = {
      ...this.database,
      db,
      transaction: (work) =>
        db.transaction().execute((trx) => {
          statements += 2;
          return work(trx);
        }),
    };
    return { counted, statements: () => statements };
  }

  /** Use cases over this database; pass `unitOfWork` to wrap the real one (e.g. to make it fail). */
  useCases(
    wrap: (unitOfWork: UnitOfWork) => UnitOfWork = (unitOfWork) => unitOfWork,
    database: Database<DB> = this.database,
  ) {
    const unitOfWork = wrap(new KyselyUnitOfWork(database));
    const shipments = new KyselyShipmentRepository(database.db);
    const changeDeps = {
      unitOfWork,
      clock: this.clock,
      ids: new Uuidv7IdGenerator(),
      trackingNumbers: new RandomTrackingNumberGenerator(),
    };
    return {
      create: makeCreateShipment({ shipments, clock: this.clock, ids: changeDeps.ids }),
      advance: makeAdvanceShipment(changeDeps),
      cancel: makeCancelShipment(changeDeps),
      get: makeGetShipment({ shipments }),
      list: makeListShipments({ shipments }),
    };
  }

  /** The outbox as the relay will see it, oldest first. */
  async outbox(): Promise<OutboxRow[]> {
    const { rows } = await sql<OutboxRow>`
      select id, topic, key, payload from kit_outbox order by created_at, id
    `.execute(this.database.db);
    return rows;
  }

  async shipmentCount(): Promise<number> {
    const row = await this.database.db
      .selectFrom("shipments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Empties the service's and the kit's tables between tests (delete: cheaper than truncate on tiny tables). */
  async reset(): Promise<void> {
    await this.database.transaction(async (trx) => {
      await sql`delete from kit_outbox`.execute(trx);
      await sql`delete from shipments`.execute(trx);
    });
  }

  async close(): Promise<void> {
    await this.database.close();
    await this.#testDatabase.drop();
  }
}

export type FulfillmentUseCases = ReturnType<FulfillmentFixture["useCases"]>;

/**
 * The fixture of the suite around the call, with its default use cases: opened before the suite's
 * tests, emptied before each, closed after them. Call it inside `describe` and read its fields from
 * hooks and tests only (the database opens in beforeAll).
 */
export function fulfillmentForSuite(kind: TestDatabaseKind): {
  readonly fixture: FulfillmentFixture;
  readonly useCases: FulfillmentUseCases;
} {
  let opened: { fixture: FulfillmentFixture; useCases: FulfillmentUseCases } | undefined;
  const current = () => {
    if (opened === undefined) throw new Error("the suite's fixture is read outside its hooks and tests");
    return opened;
  };
  beforeAll(async () => {
    const fixture = await FulfillmentFixture.open(kind);
    opened = { fixture, useCases: fixture.useCases() };
  });
  afterAll(() => opened?.fixture.close());
  beforeEach(() => current().fixture.reset());
  return {
    get fixture() {
      return current().fixture;
    },
    get useCases() {
      return current().useCases;
    },
  };
}
