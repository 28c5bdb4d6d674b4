import type { Severity } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <span class={`badge sev-${severity}`}>{t(`severity.${severity}`)}</span>;
}
