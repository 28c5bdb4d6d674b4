import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDER, INGEST, startThrowawayBroker, type ThrowawayBroker } from '../tests/support/throwaway-broker.ts';
import { SimulatedTag, type TagOptions } from './simulated-tag.ts';
import type { EventRecord, FixRecord } from './uplink-outbox.ts';

// End to end through a real Mosquitto with the project's auth and ACL (a throwaway one): the tag's
// downlink handling, store-and-forward over an outage, and the last will when it goes flat.
// The tags' clocks are fake (moved by the test); the broker and the network are real.

const TAGS = ['SIM-BRK-CMD', 'SIM-BRK-OUT', 'SIM-BRK-FLAT'];
const MIN = 60_000;

interface Seen {
  topic: string;
  body: { fixes?: FixRecord[]; events?: EventRecord[]; online?: boolean; interval_s?: number };
  retain: boolean;
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never saw ${what}`);
}

describe('a simulated tag over a real broker', () => {
  let broker: ThrowawayBroker;
  let observer: MqttClient;
  let commander: MqttClient;
  const seen: Seen[] = [];
  const tags: SimulatedTag[] = [];

  beforeAll(async () => {
    broker = await startThrowawayBroker(TAGS);
    observer = await mqtt.connectAsync(broker.url, { ...INGEST, protocolVersion: 5, clientId: 'sim-test-observer' });
    observer.on('message', (topic, payload, packet) => seen.push({ topic, body: JSON.parse(payload.toString()) as Seen['body'], retain: packet.retain }));
    await observer.subscribeAsync([broker.topics.uplinkFilter, broker.topics.statusFilter], { qos: 1 });
    commander = await mqtt.connectAsync(broker.url, { ...COMMANDER, protocolVersion: 5, clientId: 'sim-test-commander' });
  }, 30_000);

  afterAll(async () => {
    await Promise.all(tags.map((t) => t.close().catch(() => {})));
    await observer?.endAsync();
    await commander?.endAsync();
    await broker?.stop();
  });

  const fixesOf = (id: string) => seen.filter((s) => s.topic === broker.topics.fixes(id)).flatMap((s) => s.body.fixes!);
  const eventsOf = (id: string) => seen.filter((s) => s.topic === broker.topics.events(id)).flatMap((s) => s.body.events!);
  const statusOf = (id: string) => seen.filter((s) => s.topic === broker.topics.status(id)).map((s) => s.body.online);
  const send = (id: string, cmd: Record<string, unknown>) => commander.publishAsync(broker.topics.command(id), JSON.stringify({ v: 1, ...cmd }), { qos: 1 });

  function makeTag(id: string, clock: { t: number }, opts: Partial<TagOptions> = {}) {
    const tag = new SimulatedTag({ id, password: broker.devicePassword(id), movement: { kind: 'home', home: [74.596, 42.864], wanderM: 50 }, noiseM: 3, ...opts }, broker.topics, () => clock.t);
    tags.push(tag);
    return tag;
  }

  it('announces itself online and obeys set_interval, locate_now and message, each command id once', async () => {
    const id = TAGS[0]!;
    const clock = { t: Date.now() - 3_600_000 };
    const tag = makeTag(id, clock);
    await tag.connect(broker.url);
    await until(() => (statusOf(id).includes(true) ? true : undefined), 'online status');
    await until(() => (fixesOf(id).length === 1 ? true : undefined), 'the first fix');

    clock.t += 10_000;
    await send(id, { id: 'cmd-int', cmd: 'set_interval', interval_s: 15 });
    await send(id, { id: 'cmd-int', cmd: 'set_interval', interval_s: 15 });
    await until(() => (tag.commands.executed + tag.commands.duplicates === 2 ? true : undefined), 'both deliveries');
    expect([tag.commands.executed, tag.commands.duplicates]).toEqual([1, 1]);

    clock.t += 5_000;
    await send(id, { id: 'cmd-loc', cmd: 'locate_now' });
    const located = await until(() => fixesOf(id).find((f) => f.t === clock.t), 'the located fix');
    expect(located.seq).toBe(1);

    await send(id, { id: 'cmd-msg', cmd: 'message', text: 'Please come to the office at 10:00', priority: 'urgent' });
    await until(() => (tag.messages.length === 1 ? true : undefined), 'the message');
    clock.t += 2 * MIN;
    await tag.tick();
    const read = await until(() => eventsOf(id).find((e) => e.type === 'message_read'), 'message_read');
    expect(read).toMatchObject({ command: 'cmd-msg', t: tag.messages[0]!.readAt });
    // After set_interval 15 s, fixes come every 15 s (the first one 15 s after the last fix).
    const times = fixesOf(id).map((f) => f.t);
    const gaps = times.slice(3).map((t, i) => t - times[i + 2]!);
    expect(gaps.every((g) => g === 15_000)).toBe(true);
  }, 30_000);

  it('buffers through an outage, drops the link without DISCONNECT (last will), and uploads late, oldest first, original times', async () => {
    const id = TAGS[1]!;
    const t0 = Date.now() - 24 * 3_600_000;
    const clock = { t: t0 };
    const tag = makeTag(id, clock, { intervalS: 5, outages: [{ from: t0 + MIN, to: t0 + 60 * MIN }] });
    await tag.connect(broker.url);
    clock.t = t0 + 30 * MIN;
    await tag.tick();
    expect(tag.connected).toBe(false);
    await until(() => (statusOf(id).at(-1) === false ? true : undefined), 'the last will');
    expect(tag.buffered).toBeGreaterThan(300);
    const before = fixesOf(id).length;

    clock.t = t0 + 61 * MIN;
    await tag.tick();
    expect(tag.connected).toBe(true);
    await until(() => (fixesOf(id).length >= 61 * 12 + 1 ? true : undefined), 'the late upload');
    expect(statusOf(id).at(-1)).toBe(true);
    const late = seen.filter((s) => s.topic === broker.topics.fixes(id)).slice(1);
    expect(late.length).toBeGreaterThan(1);
    expect(late.every((m) => m.body.fixes!.length <= 500)).toBe(true);
    const all = fixesOf(id);
    expect(all.length - before).toBeGreaterThan(700);
    expect(all.map((f) => f.t)).toEqual(Array.from({ length: all.length }, (_, i) => t0 + i * 5000));
    expect(tag.buffered).toBe(0);
  }, 30_000);

  it('at 0% sends powering_off (battery_flat) and goes silent: the broker publishes its will', async () => {
    const id = TAGS[2]!;
    const t0 = Date.now() - 6 * 3_600_000;
    const clock = { t: t0 };
    const tag = makeTag(id, clock, { batteryPct: 2 });
    await tag.connect(broker.url);
    await until(() => (statusOf(id).includes(true) ? true : undefined), 'online status');
    clock.t = t0 + 2 * 3_600_000;
    await tag.tick();
    expect(tag.connected).toBe(false);
    const off = await until(() => eventsOf(id).find((e) => e.type === 'powering_off'), 'powering_off');
    expect(off).toMatchObject({ reason: 'battery_flat', t: t0 + 3_600_000 });
    await until(() => (statusOf(id).at(-1) === false ? true : undefined), 'the last will');
    const fixesAtOff = fixesOf(id).length;
    clock.t += 3_600_000;
    await tag.tick();
    expect(tag.connected).toBe(false);
    expect(fixesOf(id).length).toBe(fixesAtOff);
  }, 30_000);
});
