-- Changes of residence, work and study, and the inspection of a child's living conditions (issue 17).

-- 1. A change the office learned of: the written notice (PEC KR art. 166(1)(3)) or the request the
--    office agrees to or refuses (63(1)(3), 160^3(2)(3)), and the day the change happened. The row
--    states the consent the regime required when it was made; infra/domain/place-change.ts decides
--    whether the change was a breach.
create table place_changes (
  id              uuid primary key default gen_random_uuid(),
  client_id       uuid not null references clients (id),
  kind            text not null check (kind in ('residence', 'work', 'study')),
  new_place       text not null check (length(new_place) between 3 and 500),
  consent         text not null check (consent in ('written_notice', 'agreement')),
  -- The day the written notice or request reached the office; null: the office learned otherwise.
  received_on     date,
  planned_on      date,
  agreed          boolean,
  decided_on      date,
  decided_by      uuid references users (id),
  decision_reason text check (length(decision_reason) <= 2000),
  changed_on      date,
  violation_id    uuid references violations (id),
  recorded_by     uuid not null references users (id),
  created_at      timestamptz not null default now(),
  check ((agreed is null) = (decided_on is null) and (agreed is null) = (decided_by is null)),
  -- A notice is not decided by anyone.
  check (consent = 'agreement' or agreed is null)
);
create index place_changes_client_idx on place_changes (client_id, created_at);

-- 2. The act of each inspection of a child's living conditions, drawn up with the guardianship body
--    (PEC KR art. 167(2)).
create table living_conditions_inspections (
  id                 uuid primary key default gen_random_uuid(),
  client_id          uuid not null references clients (id),
  inspected_on       date not null,
  act_number         text not null check (length(act_number) between 1 and 100),
  -- Who took part for the guardianship body: the Code requires it ("совместно с представителями").
  guardianship_representative text not null check (length(guardianship_representative) between 3 and 300),
  findings           text not null check (length(findings) between 3 and 4000),
  recorded_by        uuid not null references users (id),
  recorded_at        timestamptz not null default now(),
  unique (client_id, act_number)
);
create index living_conditions_inspections_client_idx on living_conditions_inspections (client_id, inspected_on desc);

-- The deadline watchdog marks each due date whose overdue alert it raised, in the transaction that
-- writes the outbox intent, so a later sweep never raises it twice.
create table inspection_deadline_marks (
  client_id  uuid not null references clients (id),
  due_on     date not null,
  -- The act (or the term's start) the due date was counted from: a later act closes the alert.
  counted_from date not null,
  raised_at  timestamptz not null default now(),
  primary key (client_id, due_on)
);
