-- Core reference and case tables. Geometry is kept as GeoJSON (jsonb): the geofence engine is
-- an in-process index built from these rows, so PostGIS is not required.

-- gen_random_uuid() is built into PostgreSQL 13+, so no extension is needed for ids.

create table admin_units (
  id          text primary key,
  level       smallint not null check (level between 0 and 2),
  parent_id   text,
  name_en     text not null,
  name_ru     text not null,
  name_ky     text not null,
  geometry    jsonb not null,
  -- [minLon, minLat, maxLon, maxLat], for cheap map framing without parsing geometry.
  bbox        double precision[] not null check (array_length(bbox, 1) = 4),
  source      text not null,
  imported_at timestamptz not null default now()
);
create index admin_units_level_idx on admin_units (level);

create table users (
  id           uuid primary key default gen_random_uuid(),
  username     text not null unique,
  display_name text not null,
  role         text not null check (role in ('operator', 'officer', 'supervisor', 'admin')),
  -- Officers and supervisors belong to one district office (a level 2 unit); operators and
  -- admins work across districts.
  district_id  text references admin_units (id),
  created_at   timestamptz not null default now()
);

create table clients (
  id                  uuid primary key default gen_random_uuid(),
  full_name           text not null,
  regime              text not null check (regime in ('restriction_of_freedom', 'probation_supervision', 'deferred_sentence', 'parole')),
  court_decision_date date not null,
  effective_date      date not null,
  term_months         integer not null check (term_months > 0),
  term_start          date,
  residence_unit_id   text not null references admin_units (id),
  district_id         text not null references admin_units (id),
  officer_id          uuid references users (id),
  risk_level          text not null default 'medium' check (risk_level in ('low', 'medium', 'high')),
  created_at          timestamptz not null default now()
);
create index clients_district_idx on clients (district_id);

create table devices (
  id                text primary key check (id ~ '^[A-Za-z0-9_-]{3,64}$'),
  client_id         uuid unique references clients (id),
  status            text not null default 'in_stock' check (status in ('in_stock', 'assigned', 'faulty', 'retired')),
  report_interval_s integer not null default 60 check (report_interval_s between 1 and 86400),
  last_seen_at      timestamptz,
  created_at        timestamptz not null default now()
);

create table zones (
  id         uuid primary key default gen_random_uuid(),
  client_id  uuid not null references clients (id) on delete cascade,
  kind       text not null check (kind in ('exclusion', 'curfew_home')),
  label      text not null,
  shape      jsonb not null,
  schedule   jsonb,
  created_at timestamptz not null default now()
);
create index zones_client_idx on zones (client_id);

create table permits (
  id                   uuid primary key default gen_random_uuid(),
  client_id            uuid not null references clients (id) on delete cascade,
  category             text not null check (category in ('exceptional_circumstances', 'weekend_holiday', 'vacation', 'study')),
  destination_unit_ids text[] not null check (cardinality(destination_unit_ids) > 0),
  corridor             jsonb,
  valid_from           timestamptz not null,
  valid_until          timestamptz not null check (valid_until > valid_from),
  revoked_at           timestamptz,
  created_at           timestamptz not null default now()
);
create index permits_client_idx on permits (client_id, valid_until);

-- Hysteresis state of the geofence per device and rule, updated in the same transaction as the
-- fixes that moved it, so a crash can never leave state and positions disagreeing.
create table geofence_state (
  device_id  text not null references devices (id),
  rule_id    text not null,
  state      jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (device_id, rule_id)
);

-- Transactional outbox: alert intents are written with the fixes that caused them and relayed to
-- BullMQ afterwards. The relay uses the row id as the job id, so a relay that crashes after
-- enqueueing and before marking the row only re-enqueues a job BullMQ already has.
create table outbox (
  id         bigserial primary key,
  kind       text not null,
  payload    jsonb not null,
  created_at timestamptz not null default now(),
  relayed_at timestamptz
);
create index outbox_pending_idx on outbox (id) where relayed_at is null;

create table alerts (
  id              uuid primary key default gen_random_uuid(),
  -- One alert per episode: raising is an upsert on this key, so retries and duplicate workers
  -- cannot raise the same alert twice.
  episode_key     text not null unique,
  client_id       uuid not null references clients (id),
  device_id       text references devices (id),
  type            text not null,
  severity        text not null check (severity in ('critical', 'high', 'medium', 'low')),
  status          text not null default 'open' check (status in ('open', 'acknowledged', 'resolved')),
  opened_at       timestamptz not null,
  closed_at       timestamptz,
  lon             double precision,
  lat             double precision,
  details         jsonb not null default '{}'::jsonb,
  created_at      timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid references users (id),
  resolved_at     timestamptz,
  resolved_by     uuid references users (id),
  outcome         text check (outcome in ('valid_reason', 'device_fault', 'false_alarm', 'violation_confirmed'))
);
create index alerts_queue_idx on alerts (status, severity, opened_at desc);
create index alerts_client_idx on alerts (client_id, opened_at desc);

-- Dead letters: a sample of every rejected message, with the reason it was refused.
create table rejected_messages (
  id          bigserial primary key,
  received_at timestamptz not null default now(),
  reason      text not null,
  topic       text not null,
  sample      text not null
);
create index rejected_messages_reason_idx on rejected_messages (reason, received_at desc);
