import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TagOptions, type TestPlatform } from '../support/platform.ts';

const TAMPER = 'DA-TAMPER';
const BATTERY = 'DA-BATTERY';
const WILL = 'DA-WILL';
const SILENT = 'DA-SILENT';
const ROAMER = 'DA-ROAMER';

// Alerts raised by what tags say about themselves (tamper, battery, last will), by their silence
// (the watchdog), and the side effects of an alert: the downlink command and the webhook.
describe('device alerts, watchdog, downlink and webhooks', () => {
  let p: TestPlatform;
  const clients: Record<string, string> = {};
  const hooks: { event: string; delivery: string; type: string }[] = [];
  let hookFailures = 2;
  let hookServer: http.Server;

  beforeAll(async () => {
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        // The receiver is down for its first two calls: deliveries must be retried, not lost.
        if (hookFailures-- > 0) return void res.writeHead(503).end();
        const parsed = JSON.parse(body) as { event: string; alert: { type: string } };
        hooks.push({ event: parsed.event, delivery: String(req.headers['x-em-delivery']), type: parsed.alert.type });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    p = await startTestPlatform({
      devices: [TAMPER, BATTERY, WILL, SILENT, ROAMER],
      episodeSettings: ONE_FIX,
      env: { SILENCE_FACTOR: '1', SILENCE_GRACE_S: '1', WATCHDOG_SWEEP_MS: '500', WEBHOOK_URLS: hookUrl, SLA_CRITICAL_ACK_MINUTES: '0.03' },
    });
    for (const id of [TAMPER, BATTERY, WILL, SILENT, ROAMER]) clients[id] = await registerClient(p.pool, id);
    await p.pool.query(`update devices set report_interval_s = 1 where id = $1`, [SILENT]);
  });
  afterAll(async () => {
    await p?.stop();
    hookServer?.close();
  });

  const device = (id: string, opts: TagOptions = {}) => connectTag(p, id, { clientId: `tag-${id}`, ...opts });
  const alertsOf = async (id: string) =>
    (await p.pool.query<{ type: string; severity: string; closed_at: Date | null }>('select type, severity, closed_at from alerts where client_id = $1 order by opened_at', [clients[id]])).rows;
  const waitAlerts = (id: string, ok: (rows: Awaited<ReturnType<typeof alertsOf>>) => boolean) =>
    eventually(async () => {
      const rows = await alertsOf(id);
      return ok(rows) ? rows : undefined;
    }, 300, 100);

  it('a strap opened and closed again leaves a critical tamper alert open for an operator', async () => {
    const c = await device(TAMPER);
    const t = Date.now() - 10_000;
    await c.sendEvents([{ seq: 1, t, type: 'strap_opened' }]);
    await waitAlerts(TAMPER, (r) => r.length === 1);
    await c.sendEvents([{ seq: 2, t: t + 5000, type: 'strap_closed' }]);
    await c.close();
    await new Promise((r) => setTimeout(r, 500));
    await p.alerts.relay.drain();
    const rows = await alertsOf(TAMPER);
    expect(rows).toEqual([{ type: 'strap_tamper', severity: 'critical', closed_at: null }]);
  });

  it('SLA: a critical alert nobody acknowledges is escalated; an acknowledged one is not', async () => {
    // SLA_CRITICAL_ACK_MINUTES is 0.03 (1.8 s) here. The first tamper alert above was left alone.
    const escalated = await eventually(async () => {
      const { rows } = await p.pool.query<{ escalated_at: Date | null }>(`select escalated_at from alerts where client_id = $1 and type = 'strap_tamper'`, [clients[TAMPER]]);
      return rows[0]?.escalated_at ? rows[0].escalated_at : undefined;
    }, 100, 100);
    expect(escalated).toBeInstanceOf(Date);
    const c = await device(TAMPER);
    await c.sendEvents([{ seq: 3, t: Date.now() - 1000, type: 'strap_opened' }]);
    await c.close();
    const second = await waitAlerts(TAMPER, (r) => r.length === 2);
    expect(second[1]!.type).toBe('strap_tamper');
    await p.pool.query(`update alerts set status = 'acknowledged', acknowledged_at = now() where client_id = $1 and escalated_at is null`, [clients[TAMPER]]);
    await new Promise((r) => setTimeout(r, 3000));
    const { rows } = await p.pool.query<{ n: number }>(`select count(*)::int as n from alerts where client_id = $1 and escalated_at is not null`, [clients[TAMPER]]);
    expect(rows[0]!.n).toBe(1);
  });

  it('battery low opens an alert and connecting the charger ends it', async () => {
    const c = await device(BATTERY);
    const t = Date.now() - 10_000;
    await c.sendEvents([{ seq: 1, t, type: 'battery', level: 18 }]);
    await waitAlerts(BATTERY, (r) => r.length === 1);
    await c.sendEvents([{ seq: 2, t: t + 1000, type: 'charger_connected' }]);
    await c.close();
    const rows = await waitAlerts(BATTERY, (r) => r[0]?.closed_at !== null);
    expect(rows).toMatchObject([{ type: 'battery_low', severity: 'low' }]);
  });

  it('a connection lost without goodbye (the last will) raises device_offline; coming back ends it', async () => {
    const status = p.broker.topics.status(WILL);
    const c = await device(WILL, { will: { topic: status, payload: Buffer.from(JSON.stringify({ v: 1, online: false })), qos: 1, retain: true } });
    await c.client.publishAsync(status, JSON.stringify({ v: 1, online: true }), { qos: 1, retain: true });
    (c.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    c.client.end(true);
    await waitAlerts(WILL, (r) => r.length === 1);
    const back = await device(WILL);
    await back.client.publishAsync(status, JSON.stringify({ v: 1, online: true }), { qos: 1, retain: true });
    await back.close();
    const rows = await waitAlerts(WILL, (r) => r[0]?.closed_at !== null);
    expect(rows).toMatchObject([{ type: 'device_offline', severity: 'medium' }]);
  });

  it('silence beyond the reporting plan raises no_communication once per silence; each beacon ends it', async () => {
    // The tag was fitted in beforeAll and has never reported: with a 1 s plan (threshold 1 interval
    // + 1 s grace) it is already silent, so the watchdog has raised one alert by now.
    const first = await waitAlerts(SILENT, (r) => r.length === 1);
    expect(first[0]).toMatchObject({ type: 'no_communication', severity: 'high', closed_at: null });
    const c = await device(SILENT);
    await c.sendFix([74.59, 42.87], Date.now() - 100);
    // The first episode closes (a second may already have opened: the plan is 1 s, the grace 1 s).
    await waitAlerts(SILENT, (r) => r.length >= 1 && r[0]!.closed_at !== null);
    // Silent again: a second episode, raised once however often the watchdog wakes meanwhile.
    const second = await waitAlerts(SILENT, (r) => r.length === 2);
    expect(second[1]).toMatchObject({ type: 'no_communication', closed_at: null });
    await new Promise((r) => setTimeout(r, 3000));
    expect(await alertsOf(SILENT)).toHaveLength(2);
    await c.sendFix([74.59, 42.87], Date.now() - 100);
    await c.close();
    const closed = await waitAlerts(SILENT, (r) => r.every((a) => a.closed_at !== null));
    expect(closed).toHaveLength(2);
  });

  it('a place episode makes the tag report faster, and its end restores the plan; webhooks get both, once each', async () => {
    const c = await device(ROAMER, { clean: false, properties: { sessionExpiryInterval: 600 } });
    const commands: { cmd: string; interval_s: number }[] = [];
    c.client.on('message', (_t, payload) => commands.push(JSON.parse(payload.toString()) as { cmd: string; interval_s: number }));
    await c.client.subscribeAsync(p.broker.topics.command(ROAMER), { qos: 1 });
    const t = Date.now() - 60_000;
    await c.sendFix([75.29, 42.84], t);
    await eventually(async () => (commands.length >= 1 ? true : undefined), 300, 100);
    expect(commands[0]).toMatchObject({ v: 1, cmd: 'set_interval', interval_s: 15 });
    await c.sendFix([74.59, 42.87], t + 10_000);
    await eventually(async () => (commands.length >= 2 ? true : undefined), 300, 100);
    expect(commands[1]).toMatchObject({ cmd: 'set_interval', interval_s: 60 });
    await c.close();
    const got = await eventually(async () => {
      const mine = hooks.filter((h) => h.type === 'residence_exit');
      return mine.length >= 2 ? mine : undefined;
    }, 300, 100);
    expect(got.map((h) => h.event).sort()).toEqual(['alert.raised', 'alert.updated']);
    expect(new Set(hooks.map((h) => h.delivery)).size).toBe(hooks.length);
  });
});
