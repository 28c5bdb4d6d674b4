import { ApiError } from '../api/http.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Loading, an error, or (when a route is missing on the server) a clear "unavailable" note. */
export function StatusNote({ loading, error, what }: { loading?: boolean; error?: Error | undefined; what: string }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.code === 'EM_ROUTE_NOT_FOUND') return <p class="note warn" role="status">{t('common.unavailable', { what, status: error.status })}</p>;
  if (error) return <p class="note error" role="alert">{t('common.error', { message: error.message })}</p>;
  if (loading) return <p class="note" role="status">{t('common.loading')}</p>;
  return null;
}
