-- The order's customer, so a customer's token can be limited to its own shipments. Shipments created
-- before this column existed (or without a customer) keep '' and belong to no customer.
alter table shipments add column customer_id text not null default '';

-- ListShipments by customer pages through ids (UUIDv7, so creation order) within one customer.
create index shipments_customer_id_id_idx on shipments (customer_id, id);
