import { Map as MapLibreMap, NavigationControl, type GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection, Geometry } from 'geojson';
import type { UiConfig, UnitCollection } from '../api/types.ts';
import { trackGeoJson, type Gap, type TrackPoint } from '../lib/track.ts';
import { baseStyle, KGZ_BOUNDS, MAP_COLOURS, markIdle } from './base-style.ts';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * A client's map: their zones and permits, and the track being played back with each fix's
 * accuracy circle and the gaps in reporting drawn dashed.
 */
export class TrackMap {
  readonly map: MapLibreMap;
  private readonly loaded: Promise<void>;

  constructor(container: HTMLElement, config: UiConfig, units: UnitCollection) {
    this.map = new MapLibreMap({ container, style: baseStyle(config, units), bounds: KGZ_BOUNDS, attributionControl: { compact: false }, canvasContextAttributes: { preserveDrawingBuffer: true } });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    markIdle(this.map);
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    void this.loaded.then(() => {
      const m = this.map;
      for (const id of ['areas', 'accuracy', 'line', 'fixes']) m.addSource(id, { type: 'geojson', data: EMPTY });
      m.addLayer({ id: 'areas-fill', type: 'fill', source: 'areas', paint: { 'fill-color': ['match', ['get', 'kind'], 'permit', MAP_COLOURS.permit, MAP_COLOURS.zone], 'fill-opacity': 0.3 } });
      m.addLayer({ id: 'areas-line', type: 'line', source: 'areas', paint: { 'line-color': ['match', ['get', 'kind'], 'permit', MAP_COLOURS.permit, MAP_COLOURS.zone], 'line-width': 2 } });
      m.addLayer({ id: 'accuracy-fill', type: 'fill', source: 'accuracy', paint: { 'fill-color': MAP_COLOURS.track, 'fill-opacity': ['case', ['get', 'current'], 0.25, 0.05] } });
      m.addLayer({ id: 'accuracy-line', type: 'line', source: 'accuracy', paint: { 'line-color': MAP_COLOURS.track, 'line-opacity': ['case', ['get', 'current'], 0.9, 0.25], 'line-width': 1 } });
      m.addLayer({ id: 'line', type: 'line', source: 'line', filter: ['!', ['get', 'gap']], paint: { 'line-color': MAP_COLOURS.track, 'line-width': 2.5 } });
      m.addLayer({ id: 'gaps', type: 'line', source: 'line', filter: ['get', 'gap'], paint: { 'line-color': MAP_COLOURS.gap, 'line-width': 2.5, 'line-dasharray': [2, 2] } });
      m.addLayer({ id: 'fixes', type: 'circle', source: 'fixes', paint: { 'circle-color': ['case', ['get', 'current'], MAP_COLOURS.alert, MAP_COLOURS.track], 'circle-radius': ['case', ['get', 'current'], 7, 3.5], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    });
  }

  async setAreas(areas: FeatureCollection<Geometry, { kind: string; label: string }>): Promise<void> {
    await this.loaded;
    (this.map.getSource('areas') as GeoJSONSource).setData(areas);
  }

  async setTrack(fixes: readonly TrackPoint[], gaps: readonly Gap[], upTo: number): Promise<void> {
    await this.loaded;
    const g = trackGeoJson(fixes, gaps, upTo);
    (this.map.getSource('line') as GeoJSONSource).setData(g.line);
    (this.map.getSource('fixes') as GeoJSONSource).setData(g.fixes);
    (this.map.getSource('accuracy') as GeoJSONSource).setData(g.accuracy);
  }

  async fit(bounds: [[number, number], [number, number]]): Promise<void> {
    await this.loaded;
    this.map.fitBounds(bounds, { padding: 40, maxZoom: 15, duration: 0 });
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  destroy(): void {
    this.map.remove();
  }
}
