/** What the list's summary and the case file know about a tag (the case file has no strap state). */
export interface Health {
  battery: number | null;
  strap?: 'open' | 'closed' | null;
  lastContactAt: number | null;
  online: boolean | null;
}
import { useI18n } from '../i18n/i18n.tsx';

/** Battery, strap and last contact of a client's tag, as one compact line or a definition list. */
export function DeviceHealthView({ deviceId, health, compact }: { deviceId: string | null; health: Health | null; compact?: boolean }) {
  const { t, dateTime } = useI18n();
  if (!deviceId) return <span class="muted">{t('common.none')}</span>;
  const battery = health?.battery ?? null;
  const strap = health?.strap ?? null;
  const online = health?.online ?? null;
  const strapText = strap === 'open' ? t('client.strap.open') : strap === 'closed' ? t('client.strap.closed') : t('client.strap.unknown');
  const last = health?.lastContactAt ? dateTime(health.lastContactAt) : t('common.none');
  if (compact) {
    const parts = [
      <span key="b" class={battery !== null && battery < 20 ? 'warn-text' : ''}>{t('client.battery')} {battery === null ? t('common.none') : `${battery}%`}</span>,
      <span key="s" class={strap === 'open' ? 'warn-text' : ''}>{t('client.strap')}: {strapText}</span>,
    ];
    if (online !== null) parts.push(<span key="o" class={online ? '' : 'warn-text'}>{online ? t('client.online') : t('client.offline')}</span>);
    return <span class="health">{parts.flatMap((p, i) => (i ? [' · ', p] : [p]))}</span>;
  }
  return (
    <dl class="facts" data-testid="device-health">
      <dt>{t('client.device')}</dt><dd>{deviceId}</dd>
      <dt>{t('client.battery')}</dt><dd class={battery !== null && battery < 20 ? 'warn-text' : ''}>{battery === null ? t('common.none') : `${battery}%`}</dd>
      <dt>{t('client.strap')}</dt><dd class={strap === 'open' ? 'warn-text' : ''}>{strapText}</dd>
      <dt>{t('client.lastContact')}</dt><dd>{last} {online === null ? '' : `(${online ? t('client.online') : t('client.offline')})`}</dd>
    </dl>
  );
}
