import { apiErrorField } from '../lib/api-field.ts';
import { useI18n } from '../i18n/i18n.tsx';
import './forms.css';

/**
 * What came of a form's last submission: the API's error, led by the label of the field a 400
 * names (the message itself is the API's, so nothing it says is lost), or the success message.
 */
export function FormStatus({ error, success, labels = {} }: { error?: Error | undefined; success?: string | undefined; labels?: Record<string, string> }) {
  const { t } = useI18n();
  if (error) {
    const field = apiErrorField(error);
    const label = field ? labels[field] : undefined;
    return <p class="note error" role="alert" data-field={field ?? undefined}>{label ? `${label}. ` : ''}{t('common.error', { message: error.message })}</p>;
  }
  if (success) return <p class="note ok" role="status">{success}</p>;
  return null;
}

/** aria-invalid for the input the last error names. */
export const invalidIf = (error: Error | undefined, field: string): 'true' | undefined => (apiErrorField(error) === field ? 'true' : undefined);
