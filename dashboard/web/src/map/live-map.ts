import { Map as MapLibreMap, NavigationControl, type GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection, Geometry, Point } from 'geojson';
import type { LiveTag, UiConfig, UnitCollection } from '../api/types.ts';
import { baseStyle, KGZ_BOUNDS, MAP_COLOURS, markIdle } from './base-style.ts';

type TagProps = { deviceId: string; clientId: string; state: LiveTag['state']; at: number };

/**
 * The operators' live map. Tags are one clustered GeoJSON source whose data is replaced in place
 * (setData), so 10k tags are clustered in MapLibre's worker and the main thread only draws.
 */
export class LiveMap {
  readonly map: MapLibreMap;
  private readonly loaded: Promise<void>;

  constructor(container: HTMLElement, config: UiConfig, units: UnitCollection, onTag: (clientId: string) => void) {
    this.map = new MapLibreMap({
      container,
      style: baseStyle(config, units),
      bounds: KGZ_BOUNDS,
      attributionControl: { compact: false },
      // Screenshots and tests read the canvas back.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    markIdle(this.map);
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    void this.loaded.then(() => this.addLayers(onTag));
  }

  private addLayers(onTag: (clientId: string) => void): void {
    const m = this.map;
    m.addSource('permits', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    m.addLayer({ id: 'permits-fill', type: 'fill', source: 'permits', paint: { 'fill-color': MAP_COLOURS.permit, 'fill-opacity': 0.35 } });
    m.addLayer({ id: 'permits-line', type: 'line', source: 'permits', paint: { 'line-color': MAP_COLOURS.permit, 'line-width': 2 } });
    m.addSource('tags', {
      type: 'geojson',
      data: { type: 'FeatureCollection', features: [] },
      cluster: true,
      clusterRadius: 40,
      clusterMaxZoom: 13,
      clusterProperties: {
        alerts: ['+', ['case', ['==', ['get', 'state'], 'alert'], 1, 0]],
        offline: ['+', ['case', ['==', ['get', 'state'], 'offline'], 1, 0]],
      },
    });
    m.addLayer({
      id: 'clusters',
      type: 'circle',
      source: 'tags',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': ['case', ['>', ['get', 'alerts'], 0], MAP_COLOURS.alert, ['==', ['get', 'offline'], ['get', 'point_count']], MAP_COLOURS.offline, MAP_COLOURS.ok],
        'circle-opacity': 0.92,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 10, 10, 22, 100, 40],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
    m.addLayer({
      id: 'tags',
      type: 'circle',
      source: 'tags',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': ['match', ['get', 'state'], 'alert', MAP_COLOURS.alert, 'offline', MAP_COLOURS.offline, MAP_COLOURS.ok],
        'circle-radius': ['case', ['==', ['get', 'state'], 'alert'], 8, 6],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
    m.on('click', 'clusters', (e) => {
      const f = e.features?.[0];
      if (!f) return;
      const source = m.getSource('tags') as GeoJSONSource;
      void source.getClusterExpansionZoom(f.properties.cluster_id as number).then((zoom) => m.easeTo({ center: (f.geometry as Point).coordinates as [number, number], zoom }));
    });
    m.on('click', 'tags', (e) => {
      const id = e.features?.[0]?.properties.clientId as string | undefined;
      if (id) onTag(id);
    });
    for (const layer of ['clusters', 'tags']) {
      m.on('mouseenter', layer, () => (m.getCanvas().style.cursor = 'pointer'));
      m.on('mouseleave', layer, () => (m.getCanvas().style.cursor = ''));
    }
  }

  async setTags(tags: readonly LiveTag[]): Promise<void> {
    await this.loaded;
    const data: FeatureCollection<Point, TagProps> = {
      type: 'FeatureCollection',
      features: tags.map((t) => ({ type: 'Feature', properties: { deviceId: t.deviceId, clientId: t.clientId, state: t.state, at: t.at }, geometry: { type: 'Point', coordinates: [t.lon, t.lat] } })),
    };
    (this.map.getSource('tags') as GeoJSONSource).setData(data);
  }

  async setPermits(areas: FeatureCollection<Geometry>): Promise<void> {
    await this.loaded;
    (this.map.getSource('permits') as GeoJSONSource).setData(areas);
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  destroy(): void {
    this.map.remove();
  }
}
