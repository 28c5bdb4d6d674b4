import { useState } from 'preact/hooks';
import { api, setCsrfToken } from '../api/http.ts';
import type { User } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function LoginView({ onSignedIn }: { onSignedIn(user: User): void }) {
  const { t } = useI18n();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    try {
      const r = await api<{ user: User; csrfToken: string }>('/api/auth/login', { method: 'POST', body: { username: f.get('username'), password: f.get('password') } });
      setCsrfToken(r.csrfToken);
      onSignedIn(r.user);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login" onSubmit={submit} aria-labelledby="login-h">
      <h1 id="login-h">{t('auth.heading')}</h1>
      <label>{t('auth.username')}<input name="username" autoComplete="username" required autoFocus /></label>
      <label>{t('auth.password')}<input name="password" type="password" autoComplete="current-password" required /></label>
      <button class="primary" disabled={busy}>{t('auth.signIn')}</button>
      <p class="error" role="alert">{error}</p>
    </form>
  );
}
