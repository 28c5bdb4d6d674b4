-- Downlink commands the platform sent to a tag (adaptive reporting, episode intervals), with why:
-- part of the device's history, next to its own events, so an officer or an analyst can see when
-- and why a tag was told to report faster and when it was told to return to its plan.

create table device_commands (
  id        uuid primary key,
  device_id text not null references devices (id),
  sent_at   timestamptz not null default now(),
  command   jsonb not null,
  reason    text not null
);
create index device_commands_device_idx on device_commands (device_id, sent_at desc);
