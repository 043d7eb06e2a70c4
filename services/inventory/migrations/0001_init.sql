-- Inventory: items with their stock levels, reservations the order saga holds, and the audit trail
-- of stock adjustments. Money is integer minor units plus an ISO 4217 code, never floating point.

create table items (
  sku text primary key check (sku ~ '^[A-Z0-9-]{1,64}$'),
  name text not null check (char_length(name) between 1 and 200),
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  currency_code text not null check (currency_code ~ '^[A-Z]{3}$'),
  on_hand bigint not null default 0 check (on_hand >= 0),
  reserved bigint not null default 0 check (reserved >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- available = on_hand - reserved never goes below zero, whatever the code above gets wrong.
  constraint items_available_not_negative check (reserved <= on_hand)
);

create table reservations (
  -- Client-chosen and opaque: the idempotency key of Reserve.
  reservation_id text primary key check (char_length(reservation_id) between 1 and 128),
  status text not null check (status in ('HELD', 'COMMITTED', 'RELEASED', 'EXPIRED')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  updated_at timestamptz not null
);

-- The expiry sweep reads only held reservations, earliest deadline first.
create index reservations_held_by_deadline on reservations (expires_at) where status = 'HELD';

create table reservation_lines (
  reservation_id text not null references reservations (reservation_id),
  line_no integer not null check (line_no >= 0),
  sku text not null references items (sku),
  quantity bigint not null check (quantity > 0),
  -- The item's price when the reservation was made.
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  currency_code text not null check (currency_code ~ '^[A-Z]{3}$'),
  primary key (reservation_id, line_no),
  constraint reservation_lines_one_line_per_sku unique (reservation_id, sku)
);

create table stock_adjustments (
  id uuid primary key,
  -- Insertion order; adjustments of one SKU are serialized by its row lock, so within a SKU this is
  -- the order in which on_hand changed. Lists page on it.
  seq bigint generated always as identity,
  sku text not null references items (sku),
  delta bigint not null check (delta <> 0),
  reason text not null check (char_length(reason) between 1 and 200),
  on_hand_after bigint not null check (on_hand_after >= 0),
  -- The client's optional idempotency key.
  adjustment_id text unique check (char_length(adjustment_id) between 1 and 128),
  created_at timestamptz not null
);

create index stock_adjustments_by_sku on stock_adjustments (sku, seq);
