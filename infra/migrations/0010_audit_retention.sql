-- Retention of the audit log ("Retention is configurable", AUDIT_RETENTION_DAYS) without losing
-- its verifiability. The log stays append-only: the one way to delete is prune_audit_log(), which
-- removes the oldest entries older than the retention (a prefix of the chain, never the head) and
-- first records an anchor: the seq and hash of the last entry removed, who pruned and when.
-- verifyAuditChain starts from the newest anchor, and requires the prune itself to be in the
-- chain (the caller appends it in the same transaction: infra/audit/audit-retention.ts), so a
-- forged anchor or a deletion past it is still detected.

create table audit_log_anchors (
  id             bigint generated always as identity primary key,
  -- The last pruned entry: the first kept entry's prev_hash must equal through_hash.
  through_seq    bigint not null unique,
  through_hash   text not null,
  pruned_rows    bigint not null check (pruned_rows > 0),
  cutoff         timestamptz not null,
  retention_days integer not null check (retention_days > 0),
  pruned_by      text not null,
  pruned_at      timestamptz not null default now()
);

create function audit_log_anchors_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log_anchors is append-only';
end
$$;
create trigger audit_log_anchors_no_update before update or delete on audit_log_anchors for each row execute function audit_log_anchors_append_only();
create trigger audit_log_anchors_no_truncate before truncate on audit_log_anchors for each statement execute function audit_log_anchors_append_only();

-- The same triggers as before (0007) now let one kind of DELETE through: inside prune_audit_log's
-- transaction (which sets kgz_em.audit_prune_through), of an entry at or below that seq, older than
-- the cutoff of an anchor recorded in this same transaction. Updates and truncation stay refused.
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
declare
  through text;
begin
  if tg_op = 'DELETE' then
    through := current_setting('kgz_em.audit_prune_through', true);
    if coalesce(through, '') <> '' then
      if old.seq <= through::bigint and exists (
        select 1 from audit_log_anchors a where a.through_seq = through::bigint and a.pruned_at = now() and old.at < a.cutoff
      ) then
        return old;
      end if;
    end if;
  end if;
  raise exception 'audit_log is append-only';
end
$$;

-- Removes the entries older than the retention from the start of the chain, keeping at least the
-- newest entry (the chain continues from it), and returns what it removed; no row when nothing is
-- old enough. Serialised with appendAudit by the same advisory lock.
create function prune_audit_log(p_retention_days integer, p_actor text)
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
  if p_retention_days is null or p_retention_days < 1 then
    raise exception 'audit retention must be at least one day, got %', p_retention_days;
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
revoke all on function prune_audit_log(integer, text) from public;
