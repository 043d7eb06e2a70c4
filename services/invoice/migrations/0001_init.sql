-- Invoices: one per order, numbered gaplessly per calendar year (UTC), amounts in integer minor units.

-- One row per numbering year. IssueInvoice increments `last` in the same transaction that inserts
-- the invoice, so the row lock serialises numbering and a rolled-back issue gives its number back.
create table invoice_counters (
  year integer primary key check (year between 1000 and 9999),
  last bigint not null check (last >= 1)
);

create table invoices (
  id uuid primary key,
  number text not null unique,
  year integer not null,
  sequence bigint not null check (sequence >= 1),
  -- Idempotency key of IssueInvoice: at most one invoice per order, whatever races.
  order_id text not null unique,
  customer_id text not null,
  customer_name text not null,
  customer_email text not null,
  address_name text not null,
  address_line1 text not null,
  address_line2 text not null,
  address_city text not null,
  address_postal_code text not null,
  address_country_code text not null check (address_country_code ~ '^[A-Z]{2}$'),
  currency_code text not null check (currency_code ~ '^[A-Z]{3}$'),
  subtotal_minor bigint not null check (subtotal_minor >= 0),
  tax_rate_bps integer not null check (tax_rate_bps between 0 and 10000),
  tax_minor bigint not null check (tax_minor >= 0),
  total_minor bigint not null,
  status text not null check (status in ('ISSUED', 'PAID', 'VOID')),
  issued_at timestamptz not null,
  voided_at timestamptz,
  void_reason text,
  unique (year, sequence),
  -- Defence in depth for the rules the domain computes: a broken writer fails instead of lying.
  check (total_minor = subtotal_minor + tax_minor),
  check ((status = 'VOID') = (voided_at is not null)),
  check ((voided_at is null) = (void_reason is null))
);

-- ListInvoices by customer, newest first (ids are UUIDv7, so id order is issue order).
create index invoices_customer_id_idx on invoices (customer_id, id desc);

create table invoice_lines (
  invoice_id uuid not null references invoices (id) on delete cascade,
  position integer not null check (position >= 0),
  sku text not null,
  description text not null,
  quantity bigint not null check (quantity >= 1),
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  line_total_minor bigint not null check (line_total_minor = quantity * unit_price_minor),
  primary key (invoice_id, position)
);
