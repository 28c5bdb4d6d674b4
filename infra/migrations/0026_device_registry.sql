-- The device registry in the product (issue 19): tags are enrolled with their model, lost ones are
-- marked so (their broker account is revoked), a removal says why in a fixed vocabulary, and a tag
-- that publishes fixes while fitted on nobody is flagged rather than refused: its fixes are stored
-- (the first promise) with no client, and the registry shows that it happened.
alter table devices
  add column model             text check (length(model) between 1 and 100),
  add column enrolled_by       uuid references users (id),
  add column unassigned_fixes  bigint not null default 0,
  add column unassigned_fix_at timestamptz,
  drop constraint devices_status_check,
  add constraint devices_status_check check (status in ('in_stock', 'assigned', 'faulty', 'lost', 'retired'));

alter table device_assignments
  add column removal_code text check (removal_code in ('removed', 'broken', 'lost', 'sentence_ended'));

-- Ingest reads a device's recent assignments to give each fix the client of the assignment that was
-- current at its device time.
create index device_assignments_device_idx on device_assignments (device_id, fitted_at);

-- The broker's accounts come from the registry (infra/broker/project-broker.ts). A change of a
-- tag's secret, or a new tag, is announced at commit so that the broker sync agent next to the
-- broker (npm run broker -- --watch) reloads it: the dashboard never needs to reach the broker.
create function notify_broker_accounts() returns trigger language plpgsql as $$
begin
  perform pg_notify('broker_accounts', new.id);
  return null;
end
$$;
create trigger devices_broker_accounts_insert after insert on devices for each row execute function notify_broker_accounts();
create trigger devices_broker_accounts_update after update of broker_secret_hash, credentials_revoked_at on devices
  for each row execute function notify_broker_accounts();
