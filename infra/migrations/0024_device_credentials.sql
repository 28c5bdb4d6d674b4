-- Per-device broker credentials (issue 18): each tag gets its own random secret at provisioning;
-- only its hash is kept (in the broker's own PBKDF2-SHA512 format, so the password file is written
-- from it without the secret). Rotation replaces it; revocation (a lost tag) removes it, and the
-- broker no longer lets the tag in. Devices with no provisioned secret fall back to the
-- development password derived from DEVICE_PASSWORD_SEED, outside production only.
alter table devices
  add column broker_secret_hash text check (broker_secret_hash ~ '^\$7\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$'),
  add column credentials_rotated_at timestamptz,
  add column credentials_revoked_at timestamptz,
  add constraint devices_revoked_has_no_secret check (credentials_revoked_at is null or broker_secret_hash is null);
