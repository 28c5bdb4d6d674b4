import { useState } from 'preact/hooks';
import { api, query } from '../api/http.ts';
import type { DistrictStats, UnitCollection } from '../api/types.ts';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { unitName } from '../lib/units.ts';

/** A supervisor's district at a glance. */
export function StatsView({ units }: { units: UnitCollection }) {
  const { t, lang } = useI18n();
  const [days, setDays] = useState(30);
  const stats = useAsync((signal) => api<DistrictStats>(`/api/stats/district${query({ days })}`, { signal }), [days]);
  const s = stats.data;
  const max = Math.max(1, ...(s?.alertsPerDay.map((d) => d.total) ?? []));
  return (
    <section aria-labelledby="stats-h">
      <div class="toolbar">
        <h1 id="stats-h">{t('stats.heading')}{s?.districtId ? `: ${unitName(units, s.districtId, lang)}` : ''}</h1>
        <label>{t('stats.days')}{' '}
          <select value={days} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
            {[7, 30, 90].map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
      </div>
      <StatusNote loading={stats.loading} error={stats.error} what="/api/stats/district" />
      {s ? (
        <>
          <div class="cards">
            <div class="card"><span>{t('stats.medianAck')}</span><strong data-testid="median-ack">{s.medianAckMinutes === null ? t('common.none') : t('stats.minutes', { value: s.medianAckMinutes.toFixed(1) })}</strong></div>
            <div class="card"><span>{t('stats.slaBreaches')}</span><strong>{s.slaBreaches}</strong></div>
            <div class="card"><span>{t('stats.escalated')}</span><strong>{s.escalated}</strong></div>
            <div class="card"><span>{t('stats.pendingRequests')}</span><strong>{s.pendingRequests ?? t('common.none')}</strong></div>
          </div>
          <div class="columns">
            <div>
              <h2>{t('stats.alertsPerDay')}</h2>
              <table>
                <thead><tr><th scope="col">{t('stats.day')}</th><th scope="col">{t('stats.total')}</th><th scope="col">{t('stats.critical')}</th><th scope="col" aria-hidden="true" /></tr></thead>
                <tbody>
                  {s.alertsPerDay.map((d) => (
                    <tr key={d.day}>
                      <td class="nowrap">{d.day}</td><td>{d.total}</td><td>{d.critical}</td>
                      <td aria-hidden="true" class="bar-cell"><span class="bar" style={{ width: `${(100 * d.total) / max}%` }}><span class="bar-critical" style={{ width: `${d.total ? (100 * d.critical) / d.total : 0}%` }} /></span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h2>{t('stats.clientsPerOfficer')}</h2>
              <table>
                <thead><tr><th scope="col">{t('stats.officer')}</th><th scope="col">{t('stats.clients')}</th></tr></thead>
                <tbody>{s.clientsPerOfficer.map((o) => <tr key={o.officerId ?? 'none'}><td>{o.officer ?? t('stats.unassigned')}</td><td>{o.clients}</td></tr>)}</tbody>
              </table>
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
