import { describe, expect, it } from 'vitest';
import { LinkSchedule } from './link-schedule.ts';

describe('LinkSchedule', () => {
  const s = new LinkSchedule([{ from: 300, to: 400 }, { from: 100, to: 200 }]);
  it('is down inside an outage, including its start, and up again at its end', () => {
    expect([99, 100, 199, 200, 350, 400].map((t) => s.isUp(t))).toEqual([true, false, false, true, false, true]);
  });
  it('tells when the link changes next', () => {
    expect([0, 100, 150, 250, 400].map((t) => s.nextChange(t))).toEqual([100, 200, 200, 300, Infinity]);
  });
  it('refuses an outage that ends before it starts', () => {
    expect(() => new LinkSchedule([{ from: 5, to: 5 }])).toThrow(/end after/);
  });
  it('draws random outages at about the asked rate, replayably', () => {
    const a = LinkSchedule.random(9, 0, 400, 0.5);
    expect(a.spans.length).toBeGreaterThan(150);
    expect(a.spans.length).toBeLessThan(250);
    expect(LinkSchedule.random(9, 0, 400, 0.5).spans).toEqual(a.spans);
    for (let i = 1; i < a.spans.length; i++) expect(a.spans[i]!.from).toBeGreaterThanOrEqual(a.spans[i - 1]!.to);
  });
});
