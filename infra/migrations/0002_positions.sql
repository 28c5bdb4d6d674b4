-- Position fixes: the time series. TimescaleDB when the extension can be created (hypertable,
-- compression segmented by device, retention policy); otherwise native range partitions by day,
-- created ahead of time by maintain_position_storage(), with a default partition as a safety net
-- so that no acknowledged fix can ever be refused for want of a partition.
--
-- The primary key (device_id, device_time, seq) makes inserts idempotent: a redelivered fix hits
-- ON CONFLICT DO NOTHING and is stored exactly once. It includes the partitioning column, as both
-- engines require of unique constraints.

create table storage_settings (
  key   text primary key,
  value text not null
);

do $migration$
declare
  use_timescale boolean := false;
begin
  if exists (select 1 from pg_available_extensions where name = 'timescaledb') then
    begin
      create extension if not exists timescaledb;
      use_timescale := true;
    exception when others then
      -- Available but not loadable (e.g. missing from shared_preload_libraries): fall back.
      raise notice 'timescaledb present but not usable (%), using native partitioning', sqlerrm;
    end;
  end if;

  if use_timescale then
    create table positions (
      device_id   text not null,
      device_time timestamptz not null,
      seq         bigint not null,
      client_id   uuid,
      lon         double precision not null,
      lat         double precision not null,
      accuracy_m  real not null,
      source      text not null,
      received_at timestamptz not null default now(),
      primary key (device_id, device_time, seq)
    );
    perform create_hypertable('positions', 'device_time', chunk_time_interval => interval '1 day');
    alter table positions set (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'device_id',
      timescaledb.compress_orderby = 'device_time desc, seq desc'
    );
    insert into storage_settings values ('positions_engine', 'timescaledb');
  else
    create table positions (
      device_id   text not null,
      device_time timestamptz not null,
      seq         bigint not null,
      client_id   uuid,
      lon         double precision not null,
      lat         double precision not null,
      accuracy_m  real not null,
      source      text not null,
      received_at timestamptz not null default now(),
      primary key (device_id, device_time, seq)
    ) partition by range (device_time);
    create table positions_default partition of positions default;
    insert into storage_settings values ('positions_engine', 'native');
  end if;
end
$migration$;

insert into storage_settings values ('retention_days', '400'), ('compress_after_days', '7'), ('partitions_ahead_days', '7');

-- Applies the configured retention and compression. Called by `migrate` with values from the
-- environment, so changing POSITION_RETENTION_DAYS needs no new migration.
create function configure_position_storage(retention_days integer, compress_after_days integer, ahead_days integer)
returns text language plpgsql as $fn$
declare
  engine text := (select value from storage_settings where key = 'positions_engine');
begin
  if retention_days < 1 or compress_after_days < 1 or ahead_days < 1 then
    raise exception 'retention, compression and look-ahead must be at least one day';
  end if;
  update storage_settings set value = retention_days::text where key = 'retention_days';
  update storage_settings set value = compress_after_days::text where key = 'compress_after_days';
  update storage_settings set value = ahead_days::text where key = 'partitions_ahead_days';
  if engine = 'timescaledb' then
    execute 'select remove_retention_policy(''positions'', if_exists => true)';
    execute format('select add_retention_policy(''positions'', interval ''%s days'')', retention_days);
    execute 'select remove_compression_policy(''positions'', if_exists => true)';
    execute format('select add_compression_policy(''positions'', interval ''%s days'')', compress_after_days);
  end if;
  return engine;
end
$fn$;

-- Native path upkeep: creates the daily partitions from yesterday to `ahead` days out, moves any
-- rows that fell into the default partition (very late store-and-forward uploads) into proper
-- daily partitions, and drops partitions wholly older than the retention window.
-- Returns a short report. With TimescaleDB it does nothing: the policies do this work.
create function maintain_position_storage(today date default current_date)
returns text language plpgsql as $fn$
declare
  engine    text := (select value from storage_settings where key = 'positions_engine');
  retention integer := (select value::integer from storage_settings where key = 'retention_days');
  ahead     integer := (select value::integer from storage_settings where key = 'partitions_ahead_days');
  d         date;
  part      text;
  created   integer := 0;
  moved     integer := 0;
  dropped   integer := 0;
  n         integer;
  r         record;
begin
  if engine <> 'native' then
    return engine || ': managed by policies';
  end if;

  -- Serialise concurrent maintainers (several ingest processes may start at once).
  perform pg_advisory_xact_lock(hashtext('maintain_position_storage'));

  -- Days present in the default partition first, then the rolling window.
  for d in
    select distinct (device_time at time zone 'UTC')::date from positions_default
    union
    select generate_series(today - 1, today + ahead, interval '1 day')::date
  loop
    continue when d < today - retention;
    part := 'positions_p' || to_char(d, 'YYYYMMDD');
    if to_regclass(part) is null then
      execute format('create table %I (like positions including defaults including constraints)', part);
      -- Rows for this day in the default partition must leave it before the range is attached.
      execute format(
        'with m as (delete from positions_default where device_time >= %L::timestamptz and device_time < %L::timestamptz returning *) insert into %I select * from m',
        d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00', part);
      get diagnostics n = row_count;
      moved := moved + n;
      execute format('alter table %I add primary key (device_id, device_time, seq)', part);
      execute format('alter table positions attach partition %I for values from (%L) to (%L)',
        part, d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
      created := created + 1;
    end if;
  end loop;

  for r in
    select c.relname from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'positions'::regclass and c.relname ~ '^positions_p[0-9]{8}$'
      and to_date(substring(c.relname from 12), 'YYYYMMDD') < today - retention
  loop
    execute format('drop table %I', r.relname);
    dropped := dropped + 1;
  end loop;

  -- Rows older than retention that never got a partition.
  delete from positions_default where device_time < (today - retention)::timestamptz;

  return format('native: %s partitions created, %s rows moved from default, %s dropped', created, moved, dropped);
end
$fn$;
