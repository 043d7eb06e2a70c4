-- The saga's state moves into the order row, so creating an order is one insert and confirming it
-- one update (plus the NOTIFY riding in that statement): two commits on the happy path instead of
-- nine. Compensation no longer records each undo (every undo is idempotent and runs again on
-- resume), so those flags go.
alter table orders
  add column saga_phase text not null default 'DONE',
  add column saga_target_status text,
  add column saga_reason text not null default '',
  add column saga_attempts integer not null default 0,
  add column saga_next_attempt_at timestamptz not null default now(),
  add column saga_last_error text not null default '',
  add column lease_owner text,
  add column lease_until timestamptz;

update orders o
set saga_phase = case s.phase when 'DONE' then 'DONE' else s.phase end,
    saga_target_status = s.target_status,
    saga_reason = s.reason,
    saga_attempts = s.attempts,
    saga_next_attempt_at = s.next_attempt_at,
    saga_last_error = s.last_error,
    lease_owner = s.lease_owner,
    lease_until = s.lease_until
from order_sagas s
where s.order_id = o.id;

drop table order_sagas;

-- Only unfinished sagas are indexed, so the worker's due query stays small however many orders exist.
create index orders_saga_due on orders (saga_next_attempt_at) where saga_phase <> 'DONE';
-- Nothing reads it any more, and every status change paid for it.
drop index orders_status;
