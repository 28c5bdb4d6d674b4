-- Users sign in (bcrypt password hashes, server-side sessions), every decision and every read of a
-- track is written to an append-only, hash-chained audit log, and operators work alerts: notes,
-- acknowledgement, resolution with an outcome, and violation records from confirmed alerts.

alter table users add column password_hash text, add column disabled_at timestamptz;

create table sessions (
  -- sha256 of the cookie's random token: a stolen table does not yield usable cookies.
  token_hash   text primary key,
  user_id      uuid not null references users (id) on delete cascade,
  csrf_token   text not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user_idx on sessions (user_id);

create table audit_log (
  seq          bigint primary key,
  at           timestamptz not null,
  actor_id     uuid,
  actor        text not null,
  action       text not null,
  subject_type text not null,
  subject_id   text not null,
  reason       text,
  details      jsonb not null default '{}'::jsonb,
  prev_hash    text not null,
  hash         text not null unique
);
create index audit_log_subject_idx on audit_log (subject_type, subject_id, seq);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();

create table alert_notes (
  id         uuid primary key default gen_random_uuid(),
  alert_id   uuid not null references alerts (id),
  author_id  uuid not null references users (id),
  text       text not null check (length(text) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index alert_notes_alert_idx on alert_notes (alert_id, created_at);

create table violations (
  id           uuid primary key default gen_random_uuid(),
  client_id    uuid not null references clients (id),
  obligation   text not null check (obligation in ('stay_in_residence_unit', 'no_country_exit', 'appear_when_summoned', 'no_unapproved_move', 'court_imposed_duty')),
  alert_id     uuid unique references alerts (id),
  occurred_at  timestamptz not null,
  valid_reason text,
  recorded_by  uuid not null references users (id),
  recorded_at  timestamptz not null default now()
);
create index violations_client_idx on violations (client_id, occurred_at);

alter table alerts add column escalated_at timestamptz;
