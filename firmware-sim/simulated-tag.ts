import mqtt, { type MqttClient } from 'mqtt';
import type { Topics } from '../infra/broker/topics.ts';
import type { FixSource, LonLat } from '../infra/domain/types.ts';
import { gaussian, hashSeed, offset, prng } from './geo-math.ts';

export type Movement =
  | { kind: 'home'; home: LonLat; wanderM: number }
  | { kind: 'heading'; start: LonLat; bearingDeg: number; speedMps: number };

export interface TagOptions {
  id: string;
  password: string;
  movement: Movement;
  /** 1-sigma position noise in the open, metres; the reported accuracy follows it. */
  noiseM: number;
}

/**
 * One simulated ankle tag: keeps a true position, reports noisy fixes with an honest accuracy
 * radius, numbers them, and announces itself online/offline (the offline status is its last will).
 */
export class SimulatedTag {
  private client: MqttClient | null = null;
  private seq = 0;
  private readonly rand: () => number;
  private readonly startedAt: number;
  published = 0;

  constructor(
    readonly opts: TagOptions,
    private readonly topics: Topics,
    private readonly now: () => number = Date.now,
  ) {
    this.rand = prng(hashSeed(opts.id));
    this.startedAt = now();
  }

  async connect(url: string): Promise<void> {
    const status = this.topics.status(this.opts.id);
    this.client = await mqtt.connectAsync(url, {
      protocolVersion: 5,
      clientId: `tag-${this.opts.id}`,
      username: this.opts.id,
      password: this.opts.password,
      clean: false,
      properties: { sessionExpiryInterval: 24 * 3600 },
      reconnectPeriod: 2000,
      will: { topic: status, payload: Buffer.from(JSON.stringify({ v: 1, online: false })), qos: 1, retain: true },
    });
    await this.client.publishAsync(status, JSON.stringify({ v: 1, online: true }), { qos: 1, retain: true });
  }

  /** Where the wearer truly is at time t. */
  truePosition(t: number): LonLat {
    const m = this.opts.movement;
    if (m.kind === 'home') {
      // A slow wander around home: deterministic per tag, bounded by wanderM.
      const phase = (t / 600_000 + hashSeed(this.opts.id) % 1000) * 0.7;
      return offset(m.home, Math.sin(phase) * m.wanderM, Math.cos(phase * 1.3) * m.wanderM);
    }
    const d = ((t - this.startedAt) / 1000) * m.speedMps;
    const b = (m.bearingDeg * Math.PI) / 180;
    return offset(m.start, Math.sin(b) * d, Math.cos(b) * d);
  }

  /** A fix as the tag's receiver would report it. */
  takeFix(t: number): { seq: number; t: number; lon: number; lat: number; acc: number; src: FixSource } {
    const [lon, lat] = this.truePosition(t);
    const sigma = this.opts.noiseM;
    const [nlon, nlat] = offset([lon, lat], gaussian(this.rand) * sigma, gaussian(this.rand) * sigma);
    return { seq: this.seq++, t, lon: round(nlon), lat: round(nlat), acc: Math.round(sigma * 1.5 * 10) / 10, src: 'gps' };
  }

  async report(): Promise<void> {
    if (!this.client) throw new Error(`tag ${this.opts.id} is not connected`);
    const payload = { v: 1, device: this.opts.id, fixes: [this.takeFix(this.now())] };
    await this.client.publishAsync(this.topics.fixes(this.opts.id), JSON.stringify(payload), { qos: 1 });
    this.published++;
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
  }
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;
