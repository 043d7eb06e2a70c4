-- One shipment per order. Lines never change after creation, so they live in the row as jsonb
-- ([{"sku": "...", "quantity": n}]); status changes update the row and enqueue an outbox event.
create table shipments (
  id uuid primary key,
  -- The idempotency key of CreateShipment: concurrent creates for one order meet on this constraint.
  order_id text not null unique,
  status text not null
    check (status in ('PENDING', 'PICKING', 'PACKED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
  lines jsonb not null check (jsonb_typeof(lines) = 'array' and jsonb_array_length(lines) > 0),
  address_name text not null,
  address_line1 text not null,
  address_line2 text not null default '',
  address_city text not null,
  address_postal_code text not null,
  address_country_code text not null check (address_country_code ~ '^[A-Z]{2}$'),
  carrier text,
  tracking_number text,
  cancel_reason text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Once SHIPPED (or later) a shipment has a carrier and a tracking number.
  check (status not in ('SHIPPED', 'DELIVERED') or (carrier is not null and tracking_number is not null))
);

-- ListShipments filtered by status pages through ids (UUIDv7, so creation order) within one status.
create index shipments_status_id_idx on shipments (status, id);
