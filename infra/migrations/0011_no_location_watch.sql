-- Set while a tag has lost GNSS on the move and the no-location watch is pending or its alert is
-- open (alerts/no-location.ts). Ingest reads it with the device row it already locks per batch,
-- so only the few watched devices pay for feeding their fixes into that state machine.
alter table devices add column gnss_lost_at timestamptz;
