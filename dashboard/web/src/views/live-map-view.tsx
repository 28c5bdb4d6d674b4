import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/http.ts';
import type { Permit } from '../api/case-types.ts';
import type { LiveTag, UiConfig, UnitCollection } from '../api/types.ts';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LiveMap } from '../map/live-map.ts';
import { MAP_COLOURS } from '../map/base-style.ts';
import { permitAreas } from '../map/permit-areas.ts';
import { webglAvailable } from '../map/setup-maplibre.ts';
import type { AlertStream } from '../live/alert-stream.ts';
import { navigate } from '../router.ts';

const REFRESH_MS = 10_000;

/** Every tag with its state, the districts and the permits in force, refreshed in place. */
export function LiveMapView({ config, units, stream }: { config: UiConfig; units: UnitCollection; stream: AlertStream }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<Error>();
  const [ready, setReady] = useState(false);
  const hasWebgl = webglAvailable();

  useEffect(() => {
    if (!container.current || !hasWebgl) return;
    const live = new LiveMap(container.current, config, units, (clientId) => navigate(`clients/${clientId}`));
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      clearTimeout(timer);
      try {
        const { items } = await api<{ items: LiveTag[] }>('/api/live/tags');
        if (stopped) return;
        await live.setTags(items);
        setCount(items.length);
        setError(undefined);
      } catch (e) {
        if (!stopped) setError(e as Error);
      }
      if (!stopped) timer = setTimeout(() => void refresh(), REFRESH_MS);
    };
    void live.whenLoaded().then(() => !stopped && setReady(true));
    void refresh();
    api<{ items: Permit[] }>('/api/permits').then(
      (r) => !stopped && void live.setPermits(permitAreas(r.items, units, Date.now())),
      (e: Error) => {
        // The map is still useful without permits; say why they are missing.
        if (!stopped && !(e instanceof ApiError && e.status === 403)) setError(e);
      },
    );
    // An alert changes a tag's colour: re-read soon rather than at the next tick.
    let soon: ReturnType<typeof setTimeout> | undefined;
    const off = stream.onAlert(() => {
      clearTimeout(soon);
      soon = setTimeout(() => void refresh(), 300);
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(soon);
      off();
      live.destroy();
    };
  }, [config, units, stream, hasWebgl]);

  return (
    <section aria-labelledby="map-h" class="map-view">
      <div class="toolbar">
        <h1 id="map-h">{t('map.heading')}</h1>
        <ul class="legend" aria-label="legend">
          <li><i style={{ background: MAP_COLOURS.ok }} />{t('map.legend.ok')}</li>
          <li><i style={{ background: MAP_COLOURS.alert }} />{t('map.legend.alert')}</li>
          <li><i style={{ background: MAP_COLOURS.offline }} />{t('map.legend.offline')}</li>
          <li><i style={{ background: MAP_COLOURS.permit }} />{t('map.legend.permit')}</li>
        </ul>
        {count !== null ? <span class="muted" data-testid="tag-count">{t('map.tags', { count })}</span> : null}
      </div>
      <StatusNote error={error} what="/api/live/tags, /api/permits" />
      {hasWebgl ? <div ref={container} class="map" role="region" aria-label={t('map.label')} data-map-ready={ready ? 'true' : 'false'} /> : <p class="note error">{t('map.noWebgl')}</p>}
    </section>
  );
}
