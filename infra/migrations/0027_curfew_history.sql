-- A client's home (issue 19): the point their curfew is drawn around, kept when the curfew is
-- lifted so that it can be set again around the same home. The curfew itself is the client's
-- curfew_home zone (0025); its history is the audit log's zone.create/update/delete entries of
-- that zone, which carry the version before and after the change (dashboard/routes/api/zones.ts).
create table client_homes (
  client_id uuid primary key references clients (id),
  lon       double precision not null check (lon between -180 and 180),
  lat       double precision not null check (lat between -90 and 90),
  -- How it was found: a place of the offline list, or typed / clicked coordinates.
  label     text check (length(label) <= 300),
  set_by    uuid references users (id),
  set_at    timestamptz not null default now()
);
