-- Numbering after the issue. IssueInvoice used to take the next number inside its own transaction,
-- so the counter row lock serialised every issue of a year, including its caller's wait. Now an
-- invoice is stored unnumbered (sequence null) and the numberer (src/data/invoice-numberer.ts)
-- assigns the next gapless numbers of each series and year in batches, each batch one short
-- transaction that locks the counter row: two numberers on one database never share or skip a
-- number, and no lock is held across a caller's request.

-- The printed number is derived from (series, year, sequence) in one place (domain/invoice-number.ts).
alter table invoices drop column number;
alter table invoices alter column sequence drop not null;
alter table invoices add column series text not null default 'INV' check (series ~ '^[A-Z]{1,8}$');
alter table invoices alter column series drop default;
alter table invoices drop constraint invoices_year_sequence_key;
alter table invoices add constraint invoices_series_year_sequence_key unique (series, year, sequence);

-- The numberer's work list: what is still unnumbered, oldest first; stays tiny.
create index invoices_unnumbered_idx on invoices (series, year, issued_at, id) where sequence is null;

-- A series' counter starts at 0 when the numberer creates it; `last` is the highest number assigned.
alter table invoice_counters drop constraint invoice_counters_last_check;
alter table invoice_counters add constraint invoice_counters_last_check check (last >= 0);
alter table invoice_counters add column series text not null default 'INV';
alter table invoice_counters alter column series drop default;
alter table invoice_counters drop constraint invoice_counters_pkey;
alter table invoice_counters add primary key (series, year);
