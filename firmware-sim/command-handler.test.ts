import { describe, expect, it } from 'vitest';
import { CommandHandler } from './command-handler.ts';
import { parseCommand } from './downlink-command.ts';
import { prng } from '../infra/random/seeded-random.ts';
import { RecentIds } from './recent-ids.ts';

const cmd = (o: Record<string, unknown>) => JSON.stringify({ v: 1, ...o });

describe('parseCommand', () => {
  it('reads the three commands of protocol v1', () => {
    expect(parseCommand(cmd({ id: 'a', cmd: 'set_interval', interval_s: 15, until: 1_790_000_000_000 }))).toEqual({ ok: true, command: { id: 'a', cmd: 'set_interval', intervalS: 15, until: 1_790_000_000_000 } });
    expect(parseCommand(cmd({ id: 'b', cmd: 'set_interval', interval_s: 30 }))).toMatchObject({ ok: true, command: { until: null } });
    expect(parseCommand(cmd({ id: 'c', cmd: 'message', text: 'Call your officer', priority: 'urgent' }))).toMatchObject({ ok: true, command: { cmd: 'message', priority: 'urgent' } });
    expect(parseCommand(Buffer.from(cmd({ id: 'd', cmd: 'locate_now' })))).toEqual({ ok: true, command: { id: 'd', cmd: 'locate_now' } });
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['no version', JSON.stringify({ id: 'x', cmd: 'locate_now' })],
    ['no id', cmd({ cmd: 'locate_now' })],
    ['an id too long for message_read', cmd({ id: 'x'.repeat(65), cmd: 'locate_now' })],
    ['an interval under 5 s', cmd({ id: 'x', cmd: 'set_interval', interval_s: 1 })],
    ['an interval over an hour', cmd({ id: 'x', cmd: 'set_interval', interval_s: 7200 })],
    ['a fractional interval', cmd({ id: 'x', cmd: 'set_interval', interval_s: 7.5 })],
    ['a text over 160 chars', cmd({ id: 'x', cmd: 'message', text: 'x'.repeat(161), priority: 'normal' })],
    ['an unknown priority', cmd({ id: 'x', cmd: 'message', text: 'hi', priority: 'loud' })],
    ['an unknown command', cmd({ id: 'x', cmd: 'self_destruct' })],
  ])('rejects %s', (_what, payload) => {
    expect(parseCommand(payload).ok).toBe(false);
  });
});

describe('CommandHandler', () => {
  it('executes a command once even when QoS 1 delivers it again', () => {
    const h = new CommandHandler(prng(1));
    const p = cmd({ id: 'cmd-1', cmd: 'locate_now' });
    expect(h.handle(p, 0).kind).toBe('execute');
    expect(h.handle(p, 1).kind).toBe('duplicate');
    expect(h.handle(p, 2).kind).toBe('duplicate');
    expect([h.executed, h.duplicates]).toEqual([1, 2]);
  });

  it('remembers the last 100 ids: the 101st-oldest is forgotten and would run again', () => {
    const h = new CommandHandler(prng(1));
    for (let i = 0; i < 101; i++) expect(h.handle(cmd({ id: `c${i}`, cmd: 'locate_now' }), i).kind).toBe('execute');
    expect(h.handle(cmd({ id: 'c100', cmd: 'locate_now' }), 200).kind).toBe('duplicate');
    expect(h.handle(cmd({ id: 'c1', cmd: 'locate_now' }), 201).kind).toBe('duplicate');
    expect(h.handle(cmd({ id: 'c0', cmd: 'locate_now' }), 202).kind).toBe('execute');
  });

  it('records a message and has the wearer read it later: urgent within a minute, normal within 15', () => {
    const h = new CommandHandler(prng(3));
    for (let i = 0; i < 50; i++) {
      const urgent = h.handle(cmd({ id: `u${i}`, cmd: 'message', text: 'Report now', priority: 'urgent' }), 1000);
      const normal = h.handle(cmd({ id: `n${i}`, cmd: 'message', text: 'Appointment Monday', priority: 'normal' }), 1000);
      if (urgent.kind !== 'execute' || normal.kind !== 'execute') throw new Error('not executed');
      expect(urgent.message!.readAt - 1000).toBeGreaterThan(0);
      expect(urgent.message!.readAt - 1000).toBeLessThanOrEqual(60_000);
      expect(normal.message!.readAt - 1000).toBeLessThanOrEqual(900_000);
    }
    expect(h.messages.at(-1)).toMatchObject({ id: 'n49', text: 'Appointment Monday', receivedAt: 1000 });
  });

  it('ignores a malformed command without remembering anything', () => {
    const h = new CommandHandler(prng(1));
    expect(h.handle('garbage', 0)).toEqual({ kind: 'invalid', reason: 'not JSON' });
    expect(h.invalid).toBe(1);
  });
});

describe('RecentIds', () => {
  it('is a bounded set that forgets the oldest first', () => {
    const r = new RecentIds(2);
    expect(r.add('a')).toBe(true);
    expect(r.add('b')).toBe(true);
    expect(r.add('a')).toBe(false);
    expect(r.add('c')).toBe(true);
    expect(r.has('a')).toBe(false);
    expect(r.has('b') && r.has('c')).toBe(true);
    expect(r.size).toBe(2);
  });
});
