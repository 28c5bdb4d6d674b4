import { render } from 'preact';
import './map/setup-maplibre.ts';
import './styles.css';
import { App } from './app.tsx';
import { I18nProvider } from './i18n/i18n.tsx';

render(
  <I18nProvider>
    <App />
  </I18nProvider>,
  document.getElementById('app')!,
);
