-- Case management and the legal workflow (issue 7): the case file (minimal personal data, the
-- term as the law computes it, the plan and referrals), the device evidence chain, the check-in
-- calendar, travel requests, officers' decisions on the platform's proposals, the documents they
-- issue and the court's rulings. Rules live in infra/domain/legal.ts; the database keeps facts.

alter table clients
  add column birth_date         date,
  add column address            text check (length(address) <= 500),
  -- Registration / first appearance at the office: the term starts here for restriction of
  -- freedom (PEC KR art. 62) and probation supervision (166(1)(1)).
  add column registered_on      date,
  add column arrival_deadline   date,
  add column term_end           date,
  add column court_name         text check (length(court_name) <= 300),
  -- Court-imposed duties as the sentence words them (zones and curfews are in `zones`).
  add column court_duties       text[] not null default '{}',
  -- Damage from the offence not yet repaid in full blocks early termination (166(4)).
  add column damages_outstanding boolean not null default false,
  add column created_by         uuid references users (id);

-- Who fitted or removed which tag on whom, and when: the evidence chain for every fix.
create table device_assignments (
  id          uuid primary key default gen_random_uuid(),
  device_id   text not null references devices (id),
  client_id   uuid not null references clients (id),
  fitted_at   timestamptz not null,
  -- Null only for a tag assigned before the evidence chain was recorded (closed on removal).
  fitted_by   uuid references users (id),
  removed_at  timestamptz check (removed_at is null or removed_at >= fitted_at),
  removed_by  uuid references users (id),
  reason      text not null check (length(reason) between 3 and 2000),
  removal_reason text check (length(removal_reason) <= 2000),
  check ((removed_at is null) = (removed_by is null))
);
create index device_assignments_client_idx on device_assignments (client_id, fitted_at);
-- A tag is on at most one client at a time.
create unique index device_assignments_open_idx on device_assignments (device_id) where removed_at is null;

-- Appearances for registration and a preventive talk, twice a month (PEC KR arts. 63(1)(7),
-- 160^3(2)(7), 166(1)(7)). A missed one without a valid reason is a violation.
create table check_ins (
  id           uuid primary key default gen_random_uuid(),
  client_id    uuid not null references clients (id) on delete cascade,
  due_at       date not null,
  status       text not null default 'scheduled' check (status in ('scheduled', 'attended', 'missed')),
  recorded_by  uuid references users (id),
  recorded_at  timestamptz,
  valid_reason text check (length(valid_reason) <= 2000),
  violation_id uuid references violations (id),
  unique (client_id, due_at)
);

-- A client's request to travel (PEC KR arts. 63(2), 166(2)); approval creates the permit.
-- deadline_warned_at / deadline_breached_at are filled by the deadline watchdog (24 h, 63(2)(3)).
create table travel_requests (
  id                   uuid primary key default gen_random_uuid(),
  client_id            uuid not null references clients (id),
  category             text not null check (category in ('exceptional_circumstances', 'weekend_holiday', 'vacation', 'study')),
  relation             text check (relation in ('close_relative', 'spouse')),
  circumstance         text check (circumstance in ('death', 'life_threatening_illness')),
  destination_unit_ids text[] not null check (cardinality(destination_unit_ids) > 0),
  depart_at            timestamptz not null,
  return_at            timestamptz not null check (return_at > depart_at),
  travel_days          integer not null check (travel_days >= 0),
  reason               text not null,
  submitted_at         timestamptz not null default now(),
  submitted_by         uuid not null references users (id),
  decide_by            timestamptz not null,
  status               text not null default 'pending' check (status in ('pending', 'approved', 'denied')),
  decided_at           timestamptz,
  decided_by           uuid references users (id),
  decision_reason      text,
  permit_id            uuid references permits (id),
  deadline_warned_at   timestamptz,
  deadline_breached_at timestamptz,
  check ((status = 'pending') = (decided_at is null)),
  check ((status = 'approved') = (permit_id is not null))
);
create index travel_requests_pending_idx on travel_requests (decide_by) where status = 'pending';
create index travel_requests_client_idx on travel_requests (client_id, submitted_at desc);

alter table permits add column travel_request_id uuid unique references travel_requests (id);

-- Violations entered by hand carry a description; a valid reason is recorded with who and when.
alter table violations
  add column description      text check (length(description) <= 2000),
  add column valid_reason_by  uuid references users (id),
  add column valid_reason_at  timestamptz;

create sequence document_number_seq;

-- The generated warnings and court submissions. The input they were rendered from is kept, so
-- that the evidence hash can be recomputed and checked by anyone.
create table documents (
  id              uuid primary key default gen_random_uuid(),
  kind            text not null check (kind in ('written_warning', 'court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties')),
  number          text not null unique,
  client_id       uuid not null references clients (id),
  decision_id     uuid not null unique,
  evidence_sha256 text not null check (evidence_sha256 ~ '^[0-9a-f]{64}$'),
  input           jsonb not null,
  docx            bytea not null,
  pdf             bytea not null,
  created_by      uuid not null references users (id),
  created_at      timestamptz not null default now()
);
create index documents_client_idx on documents (client_id, created_at);

-- The officer's decision on a proposal: the platform proposes, an officer decides (LEGAL.md).
create table sanction_decisions (
  id            uuid primary key default gen_random_uuid(),
  client_id     uuid not null references clients (id),
  kind          text not null check (kind in ('written_warning', 'court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties')),
  accepted      boolean not null,
  -- Whether it was what the platform proposed, or a milder response the officer chose.
  proposed      boolean not null,
  reason        text not null check (length(reason) between 3 and 4000),
  articles      text[] not null default '{}',
  violation_ids uuid[] not null default '{}',
  decided_by    uuid not null references users (id),
  decided_at    timestamptz not null default now(),
  document_id   uuid references documents (id)
);
create index sanction_decisions_client_idx on sanction_decisions (client_id, decided_at);
alter table documents add constraint documents_decision_fk foreign key (decision_id) references sanction_decisions (id);

-- The court's ruling on a submission; a refused early termination starts the 3-month wait (166(4)).
create table court_outcomes (
  id          uuid primary key default gen_random_uuid(),
  client_id   uuid not null references clients (id),
  decision_id uuid references sanction_decisions (id),
  kind        text not null check (kind in ('court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties')),
  outcome     text not null check (outcome in ('granted', 'refused')),
  decided_on  date not null,
  note        text check (length(note) <= 4000),
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now()
);
create index court_outcomes_client_idx on court_outcomes (client_id, decided_on);

-- The supervision (resocialization) plan drawn up with the client (PEC KR art. 165(2)); a refusal
-- of assistance is recorded in an act (165(6)).
create table supervision_plans (
  client_id            uuid primary key references clients (id) on delete cascade,
  plan                 text not null check (length(plan) <= 20000),
  assistance_refused   boolean not null default false,
  refusal_act          text check (length(refusal_act) <= 4000),
  updated_by           uuid not null references users (id),
  updated_at           timestamptz not null default now()
);

-- Referrals to the bodies of Cabinet of Ministers resolution No. 442 of 31 July 2024.
create table referrals (
  id          uuid primary key default gen_random_uuid(),
  client_id   uuid not null references clients (id) on delete cascade,
  agency      text not null check (agency in ('health', 'education', 'labour_social_protection', 'population_registration', 'culture_youth', 'local_administration', 'other')),
  purpose     text not null check (length(purpose) between 3 and 2000),
  status      text not null default 'sent' check (status in ('sent', 'accepted', 'completed', 'declined')),
  created_by  uuid not null references users (id),
  created_at  timestamptz not null default now()
);
create index referrals_client_idx on referrals (client_id, created_at);
