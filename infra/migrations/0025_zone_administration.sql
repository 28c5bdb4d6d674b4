-- Zones administered in the product (issue 19): who drew them, when they changed, what they were
-- drawn as (a corridor is stored as the polygon the engine evaluates), and their legal basis,
-- which decides the obligation a breach is a violation of: a duty the court imposed (PEC KR arts.
-- 63(1)(1), 160^3(2)(1), 166(1)(2): 168(3) from the second breach) or a requirement of the office
-- (63(1)(2), 160^3(2)(2), 166(1)(5): a warning first).
alter table zones
  add column legal_source text not null default 'court_imposed' check (legal_source in ('court_imposed', 'office_requirement')),
  add column legal_basis  text check (length(legal_basis) <= 1000),
  add column drawn_as     jsonb,
  add column created_by   uuid references users (id),
  add column updated_by   uuid references users (id),
  add column updated_at   timestamptz;
