import type { StyleSpecification } from 'maplibre-gl';
import type { UiConfig, UnitCollection } from '../api/types.ts';

/** Colours shared by the map layers and the legend (contrast-checked against the light base). */
export const MAP_COLOURS = {
  land: '#f3f1ea',
  unitFill: '#dfe7ef',
  unitLine: '#5b6f86',
  ok: '#1d6fb8',
  alert: '#c1121f',
  offline: '#6c757d',
  permit: '#2a9d8f',
  zone: '#e76f51',
  track: '#3a0ca3',
  gap: '#d00000',
} as const;

/**
 * The platform's own base map: district outlines from /api/units, drawn by WebGL with no tile
 * server and no glyphs (so nothing is fetched from the internet). A configured raster tile URL
 * goes underneath them.
 */
export function baseStyle(config: UiConfig, units: UnitCollection): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {
      units: { type: 'geojson', data: units, attribution: units.attribution },
    },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_COLOURS.land } }],
  };
  if (config.tileUrl) {
    style.sources.tiles = { type: 'raster', tiles: [config.tileUrl], tileSize: 256, ...(config.tileAttribution ? { attribution: config.tileAttribution } : {}) };
    style.layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
  }
  style.layers.push(
    { id: 'units-fill', type: 'fill', source: 'units', paint: { 'fill-color': MAP_COLOURS.unitFill, 'fill-opacity': config.tileUrl ? 0.15 : 0.6 } },
    { id: 'units-line', type: 'line', source: 'units', paint: { 'line-color': MAP_COLOURS.unitLine, 'line-width': 0.8 } },
  );
  return style;
}

/** Kyrgyzstan, for the first view. */
export const KGZ_BOUNDS: [[number, number], [number, number]] = [[69.2, 39.1], [80.3, 43.3]];

/**
 * Marks the map's container while MapLibre is busy, so that tests and screenshots can wait for the
 * drawing to finish instead of sleeping: data-map-idle is "true" only when nothing is pending.
 */
export function markIdle(map: { on(type: 'idle' | 'dataloading', listener: () => void): unknown; getContainer(): HTMLElement }): void {
  const el = map.getContainer();
  map.on('dataloading', () => (el.dataset.mapIdle = 'false'));
  map.on('idle', () => (el.dataset.mapIdle = 'true'));
}
