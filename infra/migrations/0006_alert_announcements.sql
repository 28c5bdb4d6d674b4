-- When an alert's raise and its close were pushed to dashboards and webhooks. A worker killed
-- between changing the alert and announcing it leaves these null, and the retried job announces
-- then: announcements are at-least-once, alerts themselves exactly once (episode_key).
alter table alerts add column raise_announced_at timestamptz, add column close_announced_at timestamptz;
