-- A reservation line keeps the item's name as it was when the stock was held, beside its price: the
-- order service prices and describes an order from the reservation alone (no ListItems first), and a
-- later rename must not change what an existing order says it contains.
alter table reservation_lines add column name text;

update reservation_lines as line set name = item.name from items as item where item.sku = line.sku;

alter table reservation_lines
  alter column name set not null,
  add constraint reservation_lines_name_length check (char_length(name) between 1 and 200);
