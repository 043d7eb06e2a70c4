import { isOverdue } from "../entities/reservation.ts";
import type { ReservationRepository } from "../ports/reservation.repository.port.ts";
import type { UnitOfWork } from "../ports/unit-of-work.port.ts";
import { settleReservation } from "./settle-reservation.ts";

/** Expires every held reservation whose deadline is at or before `now`; returns how many it expired. */
export type ExpireReservations = (now: Date) => Promise<number>;

export interface ExpireReservationsDeps {
  reservations: ReservationRepository;
  unitOfWork: UnitOfWork;
  /** Reservations looked up per query; each one is then expired in its own short transaction. */
  batchSize?: number;
}

export function makeExpireReservations(deps: ExpireReservationsDeps): ExpireReservations {
  const batchSize = deps.batchSize ?? 100;
  return async (now) => {
    let expired = 0;
    for (;;) {
      const ids = await deps.reservations.findOverdueIds(now, batchSize);
      for (const reservationId of ids) {
        // One transaction per reservation: a commit or release racing the sweeper waits for one
        // row, not for a whole batch, and whoever comes second sees the settled status.
        const didExpire = await deps.unitOfWork.transaction(async (repositories) => {
          const reservation = await repositories.reservations.findById(reservationId, { forUpdate: true });
          if (reservation === undefined || !isOverdue(reservation, now)) return false;
          await settleReservation(repositories, reservation, "expire", now);
          return true;
        });
        if (didExpire) expired += 1;
      }
      // Every id seen is now settled, so the next query makes progress; a short batch was the last.
      if (ids.length < batchSize) return expired;
      // The embedded database runs on this thread: let timers and I/O in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
}
