-- Announcing an alert (live push, webhooks, downlink) is claimed for a short lease before it is
-- done, and marked done after: a worker killed in between leaves a claim that expires, and the
-- retried job announces. Announcements are thereby at-least-once even across crashes, and once in
-- normal operation (a second job for the same episode waits for the first to finish).
alter table alerts add column raise_claimed_at timestamptz, add column close_claimed_at timestamptz;
