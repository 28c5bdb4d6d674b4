-- Fixes to the legal workflow (issue #7).
--
-- 1. Failure to arrive within the statutory term (PEC KR arts. 61(2), 160^2(2), 166(1)(1), 160(6))
--    is its own obligation: its breach is the "неявка" of 64(3), 160^4(2), 168(3) that goes
--    straight to the court. A missed fortnightly appearance stays 'appear_when_summoned'.
alter table violations drop constraint violations_obligation_check;
alter table violations add constraint violations_obligation_check
  check (obligation in ('stay_in_residence_unit', 'no_country_exit', 'appear_when_summoned', 'no_unapproved_move', 'court_imposed_duty', 'arrive_within_term'));

-- 2. The submission that ends a deferral when the child turns 14 or dies (PEC KR art. 160^4(3)).
alter table documents drop constraint documents_kind_check;
alter table documents add constraint documents_kind_check
  check (kind in ('written_warning', 'court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties',
                  'court_submission_deferral_end'));
alter table sanction_decisions drop constraint sanction_decisions_kind_check;
alter table sanction_decisions add constraint sanction_decisions_kind_check
  check (kind in ('written_warning', 'court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties',
                  'court_submission_deferral_end'));
alter table court_outcomes drop constraint court_outcomes_kind_check;
alter table court_outcomes add constraint court_outcomes_kind_check
  check (kind in ('court_submission_add_duties', 'court_submission_revoke', 'court_submission_early_termination', 'court_submission_change_duties',
                  'court_submission_deferral_end'));

-- 3. A court rules once on a submission: a second outcome for the same decision is a double submit.
create unique index court_outcomes_decision_idx on court_outcomes (decision_id) where decision_id is not null;
