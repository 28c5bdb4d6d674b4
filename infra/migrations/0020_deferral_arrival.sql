-- A deferred sentence's arrival term by its basis (issue 17): 10 calendar days from the court
-- decision taking effect (PEC KR art. 160^2(2)), or, for a person released from prison under the
-- deferment, 5 days from arriving at the place of residence (160^1(4)). Existing deferred cases
-- keep the court-decision basis they were computed with.
alter table clients
  add column deferral_basis text check (deferral_basis in ('court_decision', 'release_from_prison')),
  add column arrived_at_residence_on date;
update clients set deferral_basis = 'court_decision' where regime = 'deferred_sentence';
-- Null on a deferred sentence reads as court_decision (rows inserted by older seeds and tools).
alter table clients add constraint clients_deferral_basis_regime_check
  check (deferral_basis is null or regime = 'deferred_sentence'),
  add constraint clients_arrived_at_residence_check
  check (arrived_at_residence_on is null or deferral_basis = 'release_from_prison');
