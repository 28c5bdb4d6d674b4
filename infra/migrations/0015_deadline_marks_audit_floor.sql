-- Check-ins and clients remember that their deadline alert was raised: the case-deadline
-- watchdog marks the row and writes the outbox intent in one transaction, so a sweep never
-- enqueues the same alert again while the relay has not yet created it.
alter table check_ins add column alert_raised_at timestamptz;
alter table clients add column arrival_alert_raised_at timestamptz;

-- The audit log's retention floor, enforced by the database itself (the function is SECURITY
-- DEFINER: the application's configuration is not the only guard).
create or replace function prune_audit_log(p_retention_days integer, p_actor text)
returns table (pruned_through_seq bigint, pruned_through_hash text, pruned_count bigint, pruned_cutoff timestamptz)
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  v_cutoff timestamptz;
  v_first bigint;
  v_head bigint;
  v_first_kept bigint;
  v_through bigint;
  v_hash text;
  v_rows bigint;
begin
  -- The floor lives here too, not only in the application's configuration: whoever can call the
  -- function cannot shorten the log below the year of evidence the art. 168(2) window needs.
  if p_retention_days is null or p_retention_days < 365 then
    raise exception 'audit retention must be at least 365 days (PEC KR art. 168(2): a year of decisions), got %', p_retention_days;
  end if;
  if coalesce(p_actor, '') = '' then
    raise exception 'an audit prune needs the name of who runs it';
  end if;
  perform pg_advisory_xact_lock(hashtext('audit_log'));
  v_cutoff := now() - make_interval(days => p_retention_days);
  select min(seq), max(seq) into v_first, v_head from audit_log;
  if v_head is null then
    return;
  end if;
  select min(seq) into v_first_kept from audit_log where at >= v_cutoff;
  v_through := coalesce(v_first_kept, v_head) - 1;
  if v_through < v_first then
    return;
  end if;
  select hash into v_hash from audit_log where seq = v_through;
  select count(*) into v_rows from audit_log where seq <= v_through;
  insert into audit_log_anchors (through_seq, through_hash, pruned_rows, cutoff, retention_days, pruned_by)
  values (v_through, v_hash, v_rows, v_cutoff, p_retention_days, p_actor);
  perform set_config('kgz_em.audit_prune_through', v_through::text, true);
  delete from audit_log where seq <= v_through;
  perform set_config('kgz_em.audit_prune_through', '', true);
  return query select v_through, v_hash, v_rows, v_cutoff;
end
$$;
