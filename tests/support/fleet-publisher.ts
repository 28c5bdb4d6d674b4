import mqtt, { type MqttClient } from 'mqtt';
import type { Topics } from '../../infra/broker/topics.ts';

export interface PublishPlan {
  url: string;
  topics: Topics;
  deviceIds: string[];
  password: (id: string) => string;
  messagesPerDevice: number;
  /** Spread the messages over about this long, so that faults land mid-stream. */
  durationMs: number;
  /** Home position of all devices (fixes wander a few metres around it). */
  home?: [number, number];
}

export interface PublishResult {
  published: number;
  /** Every (device, t, seq) that was published, for exact-once checks. */
  keys: Set<string>;
}

/**
 * Real tags' behaviour for fault tests: one MQTT 5 connection per device with a persistent session,
 * QoS 1, and mqtt.js's own resend of unacknowledged messages after a reconnect. Resolves when every
 * message has its PUBACK.
 */
export async function publishFleet(plan: PublishPlan): Promise<PublishResult> {
  const [lon0, lat0] = plan.home ?? [74.59, 42.87];
  const clients: MqttClient[] = await Promise.all(
    plan.deviceIds.map((id) =>
      mqtt.connectAsync(plan.url, {
        protocolVersion: 5,
        clientId: `tag-${id}`,
        username: id,
        password: plan.password(id),
        clean: false,
        properties: { sessionExpiryInterval: 3600 },
        reconnectPeriod: 300,
      }),
    ),
  );
  const base = Date.now() - 3_600_000;
  const keys = new Set<string>();
  const perTick = plan.deviceIds.length;
  const ticks = plan.messagesPerDevice;
  const tickMs = plan.durationMs / ticks;
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < ticks; i++) {
    for (let d = 0; d < perTick; d++) {
      const id = plan.deviceIds[d]!;
      const t = base + i * 1000;
      keys.add(`${id}|${t}|${i}`);
      const fix = { seq: i, t, lon: lon0 + ((d % 10) - 5) * 1e-4, lat: lat0 + (i % 7) * 1e-5, acc: 5, src: 'gps' };
      acks.push(clients[d]!.publishAsync(plan.topics.fixes(id), JSON.stringify({ v: 1, device: id, fixes: [fix] }), { qos: 1 }));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(acks);
  await Promise.all(clients.map((c) => c.endAsync()));
  return { published: keys.size, keys };
}
