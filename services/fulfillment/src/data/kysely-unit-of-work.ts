import type { Database } from "@orderly/kit/db";
import type { TransactionScope, UnitOfWork } from "../domain/ports/unit-of-work.port.ts";
import { KyselyShipmentRepository } from "./kysely-shipment.repository.ts";
import { OutboxShipmentEvents } from "./outbox-shipment.events.ts";
import type { DB } from "./schema.ts";

/** A unit of work is one database transaction; its repositories and outbox all write through it. */
export class KyselyUnitOfWork implements UnitOfWork {
  readonly #database: Pick<Database<DB>, "transaction">;

  constructor(database: Pick<Database<DB>, "transaction">) {
    this.#database = database;
  }

  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    return this.#database.transaction((trx) =>
      work({ shipments: new KyselyShipmentRepository(trx), events: new OutboxShipmentEvents(trx) }),
    );
  }
}
