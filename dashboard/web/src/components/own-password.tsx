import { useState } from 'preact/hooks';
import { api } from '../api/http.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Dialog } from './dialog.tsx';
import { FormStatus, invalidIf } from './form-status.tsx';

/**
 * "Change my password", in the header for every signed-in user: the current password and the new
 * one twice. The API ends the user's other sessions; this one stays signed in.
 */
export function OwnPasswordButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const labels = { currentPassword: t('password.current'), newPassword: t('password.new') };

  const show = () => {
    setCurrent('');
    setNext('');
    setRepeat('');
    setError(undefined);
    setDone(false);
    setOpen(true);
  };
  const submit = async () => {
    if (next !== repeat) {
      setError(new Error(t('password.mismatch')));
      return;
    }
    setBusy(true);
    try {
      await api('/api/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: next } });
      setOpen(false);
      setDone(true);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="on-dark" onClick={show}>{t('password.change')}</button>
      {done ? <span class="password-done" role="status">{t('password.changed')}</span> : null}
      {open ? (
        <Dialog title={t('password.title')} onClose={() => setOpen(false)} onSubmit={() => void submit()} submitLabel={t('common.save')} busy={busy}>
          <label>{labels.currentPassword}<input name="currentPassword" type="password" required autoComplete="current-password" value={current} onInput={(e) => setCurrent((e.target as HTMLInputElement).value)} aria-invalid={invalidIf(error, 'currentPassword')} /></label>
          <label>{labels.newPassword}<input name="newPassword" type="password" required minLength={12} autoComplete="new-password" value={next} onInput={(e) => setNext((e.target as HTMLInputElement).value)} aria-invalid={invalidIf(error, 'newPassword')} /></label>
          <label>{t('password.repeat')}<input name="repeatPassword" type="password" required minLength={12} autoComplete="new-password" value={repeat} onInput={(e) => setRepeat((e.target as HTMLInputElement).value)} /></label>
          <FormStatus error={error} labels={labels} />
        </Dialog>
      ) : null}
    </>
  );
}
