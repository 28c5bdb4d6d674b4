import type { Alert, UiConfig } from '../api/types.ts';
import { clock, slaState } from '../lib/countdown.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function SlaCountdown({ alert, config, now }: { alert: Alert; config: UiConfig; now: number }) {
  const { t } = useI18n();
  if (alert.status === 'resolved' && alert.acknowledgedAt === null) return <span>{t('common.none')}</span>;
  const s = slaState(alert, config.slaAckMinutes, now);
  switch (s.kind) {
    case 'running':
      return <span class={`sla ${s.leftMs < 60_000 ? 'sla-soon' : ''}`}>{t('sla.left', { time: clock(s.leftMs) })}</span>;
    case 'breached':
      return <span class="sla sla-breached">{t('sla.breached', { time: clock(s.overMs) })}</span>;
    case 'met':
      return <span class="sla sla-met">{t('sla.met')}</span>;
    case 'late':
      return <span class="sla sla-late">{t('sla.late')} (+{clock(s.overMs)})</span>;
  }
}
