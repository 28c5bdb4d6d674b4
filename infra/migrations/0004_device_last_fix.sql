-- Device time of the newest fix the geofence has evaluated for each device. Ingest locks the
-- device row while it evaluates a batch (serialising concurrent ingest processes per device) and
-- reads this as the hysteresis' horizon for late fixes, so the per-rule state rows only need
-- writing when an episode or a run actually changes: not on every fix.
alter table devices add column last_fix_at timestamptz;
