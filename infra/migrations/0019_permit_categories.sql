-- Permit categories with their own rules (issue 17; PEC KR arts. 63(2), 166(2), 160^3(2)(4)).
--
-- Only an exceptional trip (63(2)(3), 166(2)(3)) is decided "в суточный срок": the other
-- categories, and every category of a deferred sentence, have no decision deadline (decide_by
-- null), and the 24-hour warnings and breaches recorded for them were wrong and are cleared.
-- A study permit names the probation body at the place of study (63(2)(2), 166(2)(2)).
alter table travel_requests alter column decide_by drop not null;
alter table travel_requests add column study_registration_office text;
update travel_requests t
   set decide_by = null, deadline_warned_at = null, deadline_breached_at = null
  from clients c
 where c.id = t.client_id
   and (t.category <> 'exceptional_circumstances' or c.regime = 'deferred_sentence');
