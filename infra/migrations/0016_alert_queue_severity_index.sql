-- The operators' queue lists alerts most severe first, then newest (GET /api/alerts?sort=severity).
-- Without an index in that order every page sorted all matching alerts (62 ms for the first page
-- of 100,000 in bench:dashboard); with it a page reads its 50 rows. The expression is written
-- exactly as the route's ORDER BY so the planner can use it.
create index alerts_severity_queue_idx on alerts ((array_position(array['critical','high','medium','low'], severity)), opened_at desc, id desc);
