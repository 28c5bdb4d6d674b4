-- Track reads in milliseconds (issue 21). A client's day is ~1,440 fixes, and rows are written in
-- time order across thousands of tags, so each fix of one tag sits on a different heap page: a
-- plain index still costs a heap page per fix (~0.6 s per day-track at 50M rows, cold). The primary
-- key (device_id, device_time, seq) already leads with the tag, so it carries the columns that
-- every track read needs (INCLUDE): a track becomes an index-only scan over a few contiguous leaf
-- pages, with no second index to maintain on the write path. The reads go by the client's tags
-- (a handful, from device_assignments) with client_id as a filter on the included column.
--
-- TimescaleDB: compressed chunks are already segmented by device, so only the uncompressed recent
-- chunks gain. A hypertable with compressed chunks refuses the key change; it then keeps its old
-- key (compressed chunks serve tracks by segment) and says so.

do $migration$
declare
  engine text := (select value from storage_settings where key = 'positions_engine');
begin
  begin
    alter table positions drop constraint positions_pkey;
    alter table positions add primary key (device_id, device_time, seq) include (client_id, lon, lat, accuracy_m, source);
  exception when others then
    if engine <> 'timescaledb' then
      raise;
    end if;
    raise notice 'positions keeps its primary key without included columns (%)', sqlerrm;
  end;
end
$migration$;

-- New daily partitions (native path) get the same key before they are attached; an attached
-- partition must match the parent's index.
-- Native path upkeep: creates the daily partitions from yesterday to `ahead` days out, moves any
-- rows that fell into the default partition (very late store-and-forward uploads) into proper
-- daily partitions, and drops partitions wholly older than the retention window.
-- Returns a short report. With TimescaleDB it does nothing: the policies do this work.
create or replace function maintain_position_storage(today date default current_date)
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
      execute format('alter table %I add primary key (device_id, device_time, seq) include (client_id, lon, lat, accuracy_m, source)', part);
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
