import { describe, expect, it } from 'vitest';
import { numberArrayLiteral, textArrayLiteral } from './sql.ts';

describe('array literals for unnest parameters', () => {
  it('writes numbers and NULLs as PostgreSQL reads them', () => {
    expect(numberArrayLiteral([1, -2.5, 1795324214222, null, 1e-7])).toBe('{1,-2.5,1795324214222,NULL,1e-7}');
    expect(numberArrayLiteral([])).toBe('{}');
  });
  it('quotes every text element and escapes quotes and backslashes', () => {
    expect(textArrayLiteral(['KG-TAG-1', null, 'a"b', 'c\\d', 'NULL', ''])).toBe('{"KG-TAG-1",NULL,"a\\"b","c\\\\d","NULL",""}');
  });
});
