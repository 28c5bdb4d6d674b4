import type pg from 'pg';
import { districtScope, type SessionUser } from '../plugins/application/auth.ts';
import { requireClient } from './client-record.ts';

/**
 * The WHERE clause of a list query with numbered parameters, so that no route concatenates a
 * value into SQL or counts `$n` by hand.
 */
export class ListFilter {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** A placeholder (`$n`) bound to value, for a condition written by hand or for LIMIT. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  /** Add a condition; each `?` in it is bound, in order, to the next of values. */
  where(sql: string, ...values: unknown[]): this {
    let k = 0;
    const bound = sql.replace(/\?/g, () => {
      if (k >= values.length) throw new Error(`ListFilter.where: more ? than values in "${sql}"`);
      return this.param(values[k++]);
    });
    if (k !== values.length) throw new Error(`ListFilter.where: more values than ? in "${sql}"`);
    this.conditions.push(bound);
    return this;
  }

  /** `where a and b ...`, or '' without conditions. */
  clause(): string {
    return this.conditions.length ? `where ${this.conditions.join(' and ')}` : '';
  }
}

/** The filter every list of client data starts from: officers and supervisors see only their own district's clients (the query joins `clients c`). */
export function districtListFilter(user: SessionUser): ListFilter {
  const f = new ListFilter();
  const scope = districtScope(user);
  if (scope) f.where('c.district_id = ?', scope);
  return f;
}

/**
 * The district filter, and for a list of one client's data that client first checked, so that
 * another district's client is "not found", as on every client route, rather than an empty list.
 */
export async function clientListFilter(db: pg.Pool | pg.PoolClient, user: SessionUser, clientId: string | undefined, clientColumn: string): Promise<ListFilter> {
  const f = districtListFilter(user);
  if (clientId) {
    await requireClient(db, clientId, user);
    f.where(`${clientColumn} = ?`, clientId);
  }
  return f;
}
