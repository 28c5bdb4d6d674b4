-- Device events (strap, case, battery, charger, GNSS) and the online/offline status from the
-- MQTT last will. Events are evidence like positions: keyed by (device, device time, seq) so a
-- redelivered message is stored once.

create table device_events (
  device_id   text not null references devices (id),
  device_time timestamptz not null,
  seq         bigint not null,
  type        text not null,
  data        jsonb not null default '{}'::jsonb,
  received_at timestamptz not null default now(),
  primary key (device_id, device_time, seq)
);
create index device_events_type_idx on device_events (device_id, type, device_time desc);

alter table devices
  add column online           boolean,
  add column status_at        timestamptz,
  add column firmware         text,
  add column battery_level    smallint check (battery_level between 0 and 100),
  add column battery_at       timestamptz;
