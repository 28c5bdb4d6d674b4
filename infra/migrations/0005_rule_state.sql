-- The hysteresis table now also holds device-event episodes (tamper, battery, offline), not only
-- geofence rules: name it for what it is.
alter table geofence_state rename to rule_state;
alter table rule_state rename constraint geofence_state_pkey to rule_state_pkey;
