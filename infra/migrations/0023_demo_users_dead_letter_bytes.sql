-- Security for a real deployment (issue 18).

-- 1. The demo accounts of `npm start` are marked, so that production mode can refuse to serve while
--    any of them can still sign in (dashboard/app.ts).
alter table users add column demo boolean not null default false;

-- 2. Dead letters keep the bytes as received: text cannot hold U+0000 (PostgreSQL refuses it), so a
--    hostile payload with a NUL byte used to lose its evidence. `sample` stays a readable preview
--    with control characters escaped.
alter table rejected_messages add column payload bytea;
