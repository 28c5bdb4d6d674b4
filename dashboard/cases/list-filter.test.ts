import { describe, expect, it } from 'vitest';
import { ListFilter } from './list-filter.ts';

describe('ListFilter', () => {
  it('numbers the parameters in the order conditions and placeholders are added', () => {
    const f = new ListFilter();
    f.where('c.district_id = ?', 'd-1').where(`a.status <> 'resolved'`).where('(a.opened_at, a.id) < (to_timestamp(? / 1000.0), ?::uuid)', 5, 'id-1');
    const limit = f.param(51);
    expect(f.clause()).toBe(`where c.district_id = $1 and a.status <> 'resolved' and (a.opened_at, a.id) < (to_timestamp($2 / 1000.0), $3::uuid)`);
    expect(limit).toBe('$4');
    expect(f.params).toEqual(['d-1', 5, 'id-1', 51]);
  });

  it('has no clause without conditions', () => {
    const f = new ListFilter();
    expect(f.clause()).toBe('');
    expect(f.param(10)).toBe('$1');
  });

  it('rejects a condition whose placeholders and values do not match', () => {
    expect(() => new ListFilter().where('a = ? and b = ?', 1)).toThrow(/more \? than values/);
    expect(() => new ListFilter().where('a = ?', 1, 2)).toThrow(/more values than \?/);
  });
});
