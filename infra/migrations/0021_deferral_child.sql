-- A deferred sentence's child (issue 17, PEC KR arts. 160^4(2), 160^4(3)).
-- 1. Abandoning the child and evading its upbringing are violations of their own: each grounds the
--    submission to revoke the deferment (160^4(2)); the description holds the evidence.
alter table violations drop constraint violations_obligation_check;
alter table violations add constraint violations_obligation_check
  check (obligation in ('stay_in_residence_unit', 'no_country_exit', 'appear_when_summoned', 'no_unapproved_move', 'court_imposed_duty',
                        'office_requirement', 'carry_identity_documents', 'child_abandoned', 'child_upbringing_evaded', 'arrive_within_term'));
-- 2. The child's date of birth (and of death): the submission of 160^4(3) is due when it turns 14 or dies.
alter table clients
  add column child_birth_date date,
  add column child_died_on date,
  add constraint clients_child_regime_check check ((child_birth_date is null and child_died_on is null) or regime = 'deferred_sentence'),
  add constraint clients_child_dates_check check (child_died_on is null or (child_birth_date is not null and child_died_on >= child_birth_date));
