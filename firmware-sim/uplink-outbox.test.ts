import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, UplinkOutbox, messageFor, type FixRecord } from './uplink-outbox.ts';

const fix = (i: number): FixRecord => ({ seq: i, t: 1_790_000_000_000 + i * 60_000, lon: 74.5912345, lat: 42.8712345, acc: 6.5, src: 'gps' });

describe('UplinkOutbox (store-and-forward)', () => {
  it('uploads 1,234 buffered fixes as 500 + 500 + 234, oldest first, with their original times', () => {
    const box = new UplinkOutbox('KG-TAG-1');
    for (let i = 0; i < 1234; i++) box.addFix(fix(i));
    const sent: FixRecord[][] = [];
    for (let m = box.next('fixes'); m; m = box.next('fixes')) {
      const body = JSON.parse(m.body) as { v: number; device: string; fixes: FixRecord[] };
      expect(body.v).toBe(1);
      expect(body.device).toBe('KG-TAG-1');
      sent.push(body.fixes);
      box.acknowledge(m);
    }
    expect(sent.map((b) => b.length)).toEqual([500, 500, 234]);
    expect(sent.flat()).toEqual(Array.from({ length: 1234 }, (_, i) => fix(i)));
    expect(box.size).toBe(0);
  });

  it('keeps records until their message is acknowledged: an unacknowledged message is built again', () => {
    const box = new UplinkOutbox('KG-TAG-1');
    for (let i = 0; i < 3; i++) box.addFix(fix(i));
    const first = box.next('fixes')!;
    box.addFix(fix(3));
    expect(box.next('fixes')!.count).toBe(4);
    box.acknowledge(first);
    expect(box.peek('fixes')).toEqual([fix(3)]);
  });

  it('splits by bytes too, so a message of long records stays under 64 KiB', () => {
    const long = Array.from({ length: 500 }, (_, i) => ({ seq: 1e15 + i, t: 1_790_000_000_000, text: 'x'.repeat(200) }));
    const m = messageFor('events', 'KG-TAG-1', long)!;
    expect(m.count).toBeLessThan(500);
    expect(Buffer.byteLength(m.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(messageFor('events', 'KG-TAG-1', long.slice(0, m.count + 1))!.count).toBe(m.count);
  });

  it('a full flash drops the oldest records and counts them', () => {
    const box = new UplinkOutbox('KG-TAG-1', 10);
    for (let i = 0; i < 15; i++) box.addFix(fix(i));
    expect(box.dropped).toBe(5);
    expect(box.peek('fixes')[0]).toEqual(fix(5));
  });

  it('has nothing to send when empty', () => {
    expect(new UplinkOutbox('KG-TAG-1').next('events')).toBeNull();
  });
});
