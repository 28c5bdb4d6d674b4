-- Violations by the obligation they breach (issue 17, PEC KR art. 168(3)).
--
-- 1. 'court_imposed_duty' is now only the supervisory requirements and probation duties the court
--    imposed (63(1)(1), 160^3(2)(1), 166(1)(2)): two or more breaches ground 168(3) by themselves.
--    The lawful requirements of the office (63(1)(2), 160^3(2)(2), 166(1)(5)) are
--    'office_requirement', a statutory condition (168(1) -> 168(2)).
-- 2. Carrying identity documents (63(1)(5), 166(1)(6)) is 'carry_identity_documents'.
alter table violations drop constraint violations_obligation_check;
alter table violations add constraint violations_obligation_check
  check (obligation in ('stay_in_residence_unit', 'no_country_exit', 'appear_when_summoned', 'no_unapproved_move', 'court_imposed_duty',
                        'office_requirement', 'carry_identity_documents', 'arrive_within_term'));

-- Violations recorded from device alerts (tamper, battery, silence) breached the office's
-- requirements, not a court-imposed duty: reclassified, so they no longer count toward 168(3).
update violations v set obligation = 'office_requirement'
  from alerts a
 where a.id = v.alert_id and v.obligation = 'court_imposed_duty'
   and a.type in ('strap_tamper', 'case_tamper', 'battery_low', 'battery_critical', 'battery_dead', 'no_communication', 'no_location', 'device_offline');
