import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, setCsrfToken } from './api/http.ts';
import type { Role, UiConfig, UnitCollection, User } from './api/types.ts';
import { StatusNote } from './components/status-note.tsx';
import { LANGUAGE_NAMES, LANGUAGES, useI18n, type Language } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/ru.ts';
import { useAsync } from './lib/use-async.ts';
import { AlertStream, type StreamStatus } from './live/alert-stream.ts';
import { navigate, parseHash, useRoute } from './router.ts';
import { AlertQueueView } from './views/alert-queue-view.tsx';
import { ClientView } from './views/client-view.tsx';
import { ClientsView } from './views/clients-view.tsx';
import { DevicesView } from './views/devices/devices-view.tsx';
import { LiveMapView } from './views/live-map-view.tsx';
import { LoginView } from './views/login-view.tsx';
import { OnboardingView } from './views/onboarding-view.tsx';
import { UsersView } from './views/users-view.tsx';
import { OwnPasswordButton } from './components/own-password.tsx';
import { StatsView } from './views/stats-view.tsx';
import { TravelView } from './views/travel-view.tsx';
import { ViolationsView } from './views/violations-view.tsx';

/** Which sections each role works in, first one is home. */
const SECTIONS: Record<Role, { view: string; label: MessageKey }[]> = {
  operator: [{ view: 'queue', label: 'nav.queue' }, { view: 'map', label: 'nav.map' }, { view: 'clients', label: 'nav.clients' }, { view: 'devices', label: 'nav.devices' }],
  officer: [{ view: 'clients', label: 'nav.clients' }, { view: 'travel', label: 'nav.travel' }, { view: 'violations', label: 'nav.violations' }, { view: 'queue', label: 'nav.queue' }, { view: 'map', label: 'nav.map' }, { view: 'devices', label: 'nav.devices' }],
  supervisor: [{ view: 'stats', label: 'nav.stats' }, { view: 'travel', label: 'nav.travel' }, { view: 'violations', label: 'nav.violations' }, { view: 'queue', label: 'nav.queue' }, { view: 'map', label: 'nav.map' }, { view: 'clients', label: 'nav.clients' }],
  admin: [{ view: 'queue', label: 'nav.queue' }, { view: 'map', label: 'nav.map' }, { view: 'clients', label: 'nav.clients' }, { view: 'travel', label: 'nav.travel' }, { view: 'violations', label: 'nav.violations' }, { view: 'stats', label: 'nav.stats' }, { view: 'devices', label: 'nav.devices' }, { view: 'users', label: 'nav.users' }],
};

export function App() {
  const { t, lang, setLang } = useI18n();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const config = useAsync((signal) => api<UiConfig>('/api/ui-config', { signal }), []);

  useEffect(() => {
    api<{ user: User; csrfToken: string }>('/api/auth/me').then(
      (r) => {
        setCsrfToken(r.csrfToken);
        setUser(r.user);
      },
      () => setUser(null),
    );
  }, []);

  const signOut = async () => {
    await api('/api/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
    setCsrfToken(null);
    setUser(null);
  };

  return (
    <>
      <a class="skip" href="#main">{t('nav.skip')}</a>
      <header class="top">
        <div class="brand"><strong>{t('app.title')}</strong> <span>{t('app.subtitle')}</span></div>
        <label class="lang">{t('lang.label')}{' '}
          <select name="lang" value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Language)}>
            {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
          </select>
        </label>
        {user ? <span class="who">{user.displayName} ({t(`role.${user.role}`)})</span> : null}
        {user ? <OwnPasswordButton key={user.id} /> : null}
        {user ? <button type="button" class="on-dark" onClick={() => void signOut()}>{t('auth.signOut')}</button> : null}
      </header>
      {user === null ? <main id="main"><LoginView onSignedIn={setUser} /></main> : null}
      {user && config.data ? <SignedIn user={user} config={config.data} /> : null}
      {user && !config.data ? <main id="main"><StatusNote loading={config.loading} error={config.error} what="/api/ui-config" /></main> : null}
      <footer class="attribution">
        {t('footer.attribution')}: {config.data?.boundaryAttribution ?? ''} · <a href="/docs">API</a>
      </footer>
    </>
  );
}

function SignedIn({ user, config }: { user: User; config: UiConfig }) {
  const { t } = useI18n();
  const route = useRoute();
  const stream = useMemo(() => new AlertStream(), []);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const units = useAsync((signal) => api<UnitCollection>('/api/units?level=2', { signal }), []);
  useEffect(() => {
    const off = stream.onStatus(setStatus);
    stream.open();
    return () => {
      off();
      stream.close();
    };
  }, [stream]);

  const sections = SECTIONS[user.role];
  const view = route.view || sections[0]!.view;
  useEffect(() => {
    // The hash as it is now, not as it was at render: a link followed meanwhile (or a bookmarked
    // client page opened right after sign-in) must not be overwritten by the home section.
    if (!parseHash(location.hash).view) navigate(sections[0]!.view);
  }, [route.view, sections]);

  return (
    <>
      <nav aria-label={t('nav.label')} class="nav">
        <ul>
          {sections.map((s) => <li key={s.view}><a href={`#/${s.view}`} aria-current={view === s.view ? 'page' : undefined}>{t(s.label)}</a></li>)}
        </ul>
        <span class={`live live-${status}`} role="status">{status === 'live' ? t('live.connected') : t('live.reconnecting')}</span>
      </nav>
      <main id="main" tabIndex={-1}>
        {!units.data ? <StatusNote loading={units.loading} error={units.error} what="/api/units" /> : (
          <>
            {view === 'queue' ? <AlertQueueView config={config} stream={stream} units={units.data} /> : null}
            {view === 'map' ? <LiveMapView config={config} units={units.data} stream={stream} /> : null}
            {view === 'clients' && route.params[0] ? <ClientView id={route.params[0]} config={config} units={units.data} /> : null}
            {view === 'clients' && !route.params[0] ? <ClientsView units={units.data} canOnboard={user.role !== 'operator'} /> : null}
            {view === 'onboarding' && user.role !== 'operator' ? <OnboardingView user={user} units={units.data} /> : null}
            {view === 'users' && user.role === 'admin' ? <UsersView me={user} units={units.data} /> : null}
            {view === 'travel' ? <TravelView config={config} units={units.data} stream={stream} /> : null}
            {view === 'violations' ? <ViolationsView clientId={route.params[0]} /> : null}
            {view === 'stats' ? <StatsView units={units.data} /> : null}
            {view === 'devices' ? <DevicesView role={user.role} /> : null}
          </>
        )}
      </main>
    </>
  );
}
