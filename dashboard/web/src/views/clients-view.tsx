import { useState } from 'preact/hooks';
import { api, query } from '../api/http.ts';
import type { ClientList } from '../api/case-types.ts';
import type { UnitCollection } from '../api/types.ts';
import { DeviceHealthView } from '../components/device-health.tsx';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useAsync, useNow } from '../lib/use-async.ts';
import { bishkekToday } from '../lib/countdown.ts';
import { unitName } from '../lib/units.ts';

const PAGE = 100;

/** An officer's caseload: each client's tag health and next check-in, soonest first. */
export function ClientsView({ units, canOnboard = false }: { units: UnitCollection; canOnboard?: boolean }) {
  const { t, calendarDate, lang } = useI18n();
  const now = useNow(30_000);
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useAsync((signal) => api<ClientList>(`/api/clients${query({ limit: PAGE, offset, q })}`, { signal }), [q, offset]);
  // Calendar dates (YYYY-MM-DD) sort as strings; clients without a check-in go last.
  const items = [...(list.data?.items ?? [])].sort((a, b) => (a.nextCheckInAt ?? '9999').localeCompare(b.nextCheckInAt ?? '9999'));
  const today = bishkekToday(now);
  return (
    <section aria-labelledby="clients-h">
      <div class="toolbar">
        <h1 id="clients-h">{t('clients.heading')}</h1>
        <label>{t('clients.search')} <input type="search" value={q} onInput={(e) => { setOffset(0); setQ((e.target as HTMLInputElement).value); }} /></label>
        {list.data ? <span class="muted">{t('clients.total', { count: list.data.total })}</span> : null}
        {canOnboard ? <a class="button primary" href="#/onboarding">{t('clients.new')}</a> : null}
      </div>
      <StatusNote loading={list.loading} error={list.error} what="/api/clients" />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('clients.col.name')}</th>
            <th scope="col">{t('clients.col.regime')}</th>
            <th scope="col">{t('client.district')}</th>
            <th scope="col">{t('clients.col.device')}</th>
            <th scope="col">{t('clients.col.health')}</th>
            <th scope="col">{t('clients.col.nextCheckIn')}</th>
            <th scope="col">{t('clients.col.alerts')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-client-id={c.id}>
              <td><a href={`#/clients/${c.id}`}>{c.fullName}</a></td>
              <td>{t(`regime.${c.regime}` as 'regime.parole')}</td>
              <td>{unitName(units, c.residenceUnitId, lang)}</td>
              <td>{c.deviceId ?? t('common.none')}</td>
              <td><DeviceHealthView deviceId={c.deviceId} health={c.device} compact /></td>
              <td class={c.nextCheckInAt !== null && c.nextCheckInAt < today ? 'warn-text' : ''} data-testid="next-check-in">{c.nextCheckInAt ? calendarDate(c.nextCheckInAt) : t('common.none')}</td>
              <td>{c.openAlerts ? <span class="badge sev-high">{c.openAlerts}</span> : 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="pager">
        {offset > 0 ? <button type="button" onClick={() => setOffset(Math.max(0, offset - PAGE))}>←</button> : null}
        {list.data && offset + PAGE < list.data.total ? <button type="button" onClick={() => setOffset(offset + PAGE)}>{t('common.loadMore')}</button> : null}
      </div>
    </section>
  );
}
