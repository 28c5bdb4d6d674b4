import { useState } from 'preact/hooks';
import { api, query } from '../../api/http.ts';
import type { ClientList } from '../../api/case-types.ts';
import type { Role } from '../../api/types.ts';
import { StatusNote } from '../../components/status-note.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { useAsync } from '../../lib/use-async.ts';

/** GET /api/devices (dashboard/routes/api/devices.ts). */
export interface Device {
  id: string;
  model: string | null;
  firmware: string | null;
  status: 'in_stock' | 'assigned' | 'faulty' | 'lost' | 'retired';
  clientId: string | null;
  clientName: string | null;
  lastSeenAt: number | null;
  batteryLevel: number | null;
  credentials: 'provisioned' | 'development' | 'revoked';
  unassignedFixes: number;
  unassignedFixAt: number | null;
}
const REMOVAL_CODES = ['removed', 'broken', 'lost', 'sentence_ended'] as const;
type Action = { kind: 'fit' | 'swap' | 'remove' | 'lost'; device: Device };

/**
 * The device registry: enrol a tag (its secret is shown once), fit it on a client, swap a broken
 * one in one step, take it off with a reason, or mark it lost (its broker account is revoked).
 */
export function DevicesView({ role }: { role: Role }) {
  const { t, dateTime } = useI18n();
  const list = useAsync((signal) => api<{ items: Device[] }>('/api/devices', { signal }), []);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const canEnrol = role === 'operator' || role === 'admin';
  const finished = (message: string) => {
    setAction(null);
    setDone(message);
    list.reload();
  };
  return (
    <section aria-labelledby="devices-h">
      <div class="toolbar"><h1 id="devices-h">{t('devices.heading')}</h1></div>
      {done ? <p class="note ok" role="status" data-testid="devices-done">{done}</p> : null}
      {canEnrol ? <EnrolForm onDone={(id) => { setDone(t('devices.enrolled', { id })); list.reload(); }} /> : null}
      <StatusNote loading={list.loading} error={list.error} what="/api/devices" />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('devices.col.id')}</th>
            <th scope="col">{t('devices.col.model')}</th>
            <th scope="col">{t('devices.col.status')}</th>
            <th scope="col">{t('devices.col.client')}</th>
            <th scope="col">{t('devices.col.credentials')}</th>
            <th scope="col">{t('devices.col.lastSeen')}</th>
            <th scope="col">{t('devices.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((d) => (
            <tr key={d.id} data-device-id={d.id}>
              <td>{d.id}</td>
              <td>{d.model ?? '—'}{d.firmware ? ` · ${d.firmware}` : ''}</td>
              <td data-testid="device-status">
                {t(`devices.status.${d.status}` as MessageKey)}
                {d.unassignedFixes ? <span class="badge sev-medium" title={d.unassignedFixAt ? dateTime(d.unassignedFixAt) : ''}>{t('devices.unassigned', { count: d.unassignedFixes })}</span> : null}
              </td>
              <td>{d.clientId ? <a href={`#/clients/${d.clientId}`}>{d.clientName ?? d.clientId.slice(0, 8)}</a> : '—'}</td>
              <td>{t(`devices.credentials.${d.credentials}` as MessageKey)}</td>
              <td>{d.lastSeenAt ? dateTime(d.lastSeenAt) : '—'}</td>
              <td class="actions">
                {d.status === 'in_stock' ? <button type="button" onClick={() => setAction({ kind: 'fit', device: d })}>{t('devices.fit')}</button> : null}
                {d.status === 'assigned' ? <button type="button" onClick={() => setAction({ kind: 'swap', device: d })}>{t('devices.swap')}</button> : null}
                {d.status === 'assigned' ? <button type="button" onClick={() => setAction({ kind: 'remove', device: d })}>{t('devices.remove')}</button> : null}
                {d.status !== 'lost' && d.status !== 'retired' ? <button type="button" onClick={() => setAction({ kind: 'lost', device: d })}>{t('devices.markLost')}</button> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {action ? (
        <ActionForm
          key={`${action.kind}:${action.device.id}`}
          action={action}
          devices={list.data?.items ?? []}
          onCancel={() => setAction(null)}
          onDone={finished}
        />
      ) : null}
    </section>
  );
}

function EnrolForm({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<Error>();
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const submit = async (form: HTMLFormElement) => {
    const f = new FormData(form);
    setError(undefined);
    try {
      const r = await api<{ device: Device; secret: string }>('/api/devices', {
        method: 'POST',
        body: { id: f.get('id'), model: f.get('model'), ...(f.get('firmware') ? { firmware: f.get('firmware') } : {}), reason: f.get('reason') },
      });
      setSecret({ id: r.device.id, secret: r.secret });
      form.reset();
      onDone(r.device.id);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <details class="panel" open>
      <summary>{t('devices.enrol')}</summary>
      <form class="grid-form" name="enrol" onSubmit={(e) => { e.preventDefault(); void submit(e.currentTarget); }}>
        <label>{t('devices.col.id')} <input name="id" required pattern="[A-Za-z0-9_-]{3,64}" /></label>
        <label>{t('devices.col.model')} <input name="model" required maxLength={100} /></label>
        <label>{t('devices.firmware')} <input name="firmware" maxLength={100} /></label>
        <label class="wide">{t('common.reason')} <input name="reason" required minLength={3} /></label>
        <button type="submit" class="primary">{t('devices.enrol')}</button>
      </form>
      <StatusNote error={error} what="/api/devices" />
      {secret ? (
        <p class="note warn" role="status" data-testid="device-secret">
          {t('devices.secretOnce', { id: secret.id })} <code>{secret.secret}</code>
        </p>
      ) : null}
    </details>
  );
}

function ActionForm({ action, devices, onCancel, onDone }: {
  action: Action;
  devices: Device[];
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<Error>();
  const { kind, device } = action;
  const inStock = devices.filter((d) => d.status === 'in_stock' && d.id !== device.id);
  const submit = async (form: HTMLFormElement) => {
    const f = new FormData(form);
    const reason = String(f.get('reason') ?? '');
    setError(undefined);
    try {
      if (kind === 'fit') {
        await api(`/api/clients/${String(f.get('clientId'))}/device-assignments`, { method: 'POST', body: { action: 'fit', deviceId: device.id, reason } });
      } else if (kind === 'swap') {
        await api(`/api/clients/${device.clientId!}/device-swap`, { method: 'POST', body: { fromDeviceId: device.id, toDeviceId: f.get('toDeviceId'), removalCode: f.get('removalCode'), reason } });
      } else if (kind === 'remove') {
        await api(`/api/clients/${device.clientId!}/device-assignments`, { method: 'POST', body: { action: 'remove', deviceId: device.id, removalCode: f.get('removalCode'), reason } });
      } else {
        await api(`/api/devices/${device.id}/lost`, { method: 'POST', body: { reason } });
      }
      onDone(t(`devices.done.${kind}`, { id: device.id }));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <form class="panel grid-form" name={`device-${kind}`} aria-label={t(`devices.title.${kind}`, { id: device.id })} onSubmit={(e) => { e.preventDefault(); void submit(e.currentTarget); }}>
      <h2>{t(`devices.title.${kind}`, { id: device.id })}</h2>
      {kind === 'fit' ? <ClientPicker /> : null}
      {kind === 'swap' ? (
        <label>{t('devices.newDevice')}
          <select name="toDeviceId" required>
            {inStock.map((d) => <option key={d.id} value={d.id}>{d.id}</option>)}
          </select>
        </label>
      ) : null}
      {kind === 'swap' || kind === 'remove' ? (
        <label>{t('devices.removalCode')}
          <select name="removalCode" required>
            {REMOVAL_CODES.map((c) => <option key={c} value={c} selected={kind === 'swap' ? c === 'broken' : c === 'removed'}>{t(`devices.code.${c}`)}</option>)}
          </select>
        </label>
      ) : null}
      <label class="wide">{t('common.reason')} <input name="reason" required minLength={3} /></label>
      <button type="submit" class="primary">{t('common.save')}</button>
      <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      <StatusNote error={error} what="/api/devices" />
    </form>
  );
}

/** Clients without a tag, found by part of the name (a caseload is larger than one list page). */
function ClientPicker() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = useAsync((signal) => api<ClientList>(`/api/clients${query({ limit: 200, q })}`, { signal }), [q]);
  const free = (found.data?.items ?? []).filter((c) => !c.deviceId);
  return (
    <>
      <label>{t('clients.search')} <input type="search" name="clientSearch" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} /></label>
      <label>{t('devices.col.client')}
        <select name="clientId" required>
          {free.map((c) => <option key={c.id} value={c.id}>{c.fullName}</option>)}
        </select>
      </label>
    </>
  );
}
