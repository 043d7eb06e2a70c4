import type { Clock } from "@orderly/kit/domain";

/**
 * The clock the saga's schedule is kept in (lease ends, retry due times), which every replica
 * compares: the database's (kit databaseClock), not this host's wall clock.
 */
export type SagaScheduleClock = Clock;
