-- Orders, their sagas, and the index that keeps customer listings cheap.
create table orders (
  id uuid primary key,
  customer_id text not null,
  status text not null,
  lines jsonb not null,
  shipping_address jsonb not null,
  currency text,
  subtotal_minor bigint,
  tax_minor bigint,
  total_minor bigint,
  reservation_id text,
  invoice_id text,
  shipment_id text,
  status_reason text not null default '',
  cancel_requested boolean not null default false,
  idempotency_key text not null unique,
  request_fingerprint text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 0
);

-- UUIDv7 ids are time-ordered, so (customer_id, id desc) is newest-first keyset pagination.
create index orders_customer_id_id on orders (customer_id, id desc);
create index orders_status on orders (status) where status = 'PENDING';

create table order_sagas (
  order_id uuid primary key references orders (id),
  phase text not null,
  target_status text,
  reason text not null default '',
  shipment_cancelled boolean not null default false,
  invoice_voided boolean not null default false,
  reservation_released boolean not null default false,
  attempted_step text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_error text not null default '',
  lease_owner text,
  lease_until timestamptz
);

-- The worker's query: unfinished sagas that are due.
create index order_sagas_due on order_sagas (next_attempt_at) where phase <> 'DONE';
