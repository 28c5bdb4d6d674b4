-- Ingest caches each device's supervision context (ingest/device-registry.ts). Whatever changes a
-- context (a permit approved or revoked, a zone drawn, a client's residence or regime, a tag fitted
-- or removed) announces the client on the `supervision_context` channel at commit, so ingest drops
-- its copy at once instead of waiting for the cache's TTL: an approved trip is in force from the
-- next fix.
create function notify_supervision_context() returns trigger language plpgsql as $$
declare
  ids text[];
begin
  if tg_table_name = 'clients' then
    ids := array[coalesce(new.id, old.id)::text];
  elsif tg_table_name = 'devices' then
    -- Payload 'device:<id>' for a tag whose client changed (fitted, removed or retired).
    ids := array['device:' || coalesce(new.id, old.id)];
  elsif tg_op = 'UPDATE' then
    ids := array[new.client_id::text, old.client_id::text];
  else
    ids := array[coalesce(new.client_id, old.client_id)::text];
  end if;
  perform pg_notify('supervision_context', i) from (select distinct unnest(ids) as i) u where i is not null;
  return null;
end
$$;

create trigger permits_notify after insert or update or delete on permits for each row execute function notify_supervision_context();
create trigger zones_notify after insert or update or delete on zones for each row execute function notify_supervision_context();
create trigger clients_notify after update of regime, residence_unit_id on clients for each row execute function notify_supervision_context();
create trigger devices_notify after update of client_id, status on devices for each row execute function notify_supervision_context();
