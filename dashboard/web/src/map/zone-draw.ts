import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw, TerraDrawCircleMode, TerraDrawLineStringMode, TerraDrawPolygonMode, TerraDrawRenderMode, TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { MAP_COLOURS } from './base-style.ts';

/** What the operator draws: an area, a circle, or the way of a corridor (its half-width is typed in). */
export type DrawMode = 'polygon' | 'circle' | 'corridor';
/** A drawn feature as terra-draw stores it (circle: a polygon with radiusKilometers). */
export type DrawnFeature = GeoJSONStoreFeatures;

// terra-draw's mode names for ours: a corridor is drawn as a line string.
const TERRA_MODE: Record<DrawMode, string> = { polygon: 'polygon', circle: 'circle', corridor: 'linestring' };
const colour = MAP_COLOURS.track as `#${string}`;
const editable = { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } };

/**
 * Drawing one zone's shape on a client's map with terra-draw (through its MapLibre adapter: it
 * draws with map layers, so nothing conflicts with the dashboard's CSP). One shape at a time: a new
 * drawing replaces the last. Once finished, the shape stays selected and its corners can be
 * dragged; every finished change is reported to `onChange`.
 */
export class ZoneDraw {
  private readonly draw: TerraDraw;

  constructor(map: MapLibreMap, private readonly onChange: (f: DrawnFeature | null) => void) {
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 7 }),
      modes: [
        new TerraDrawPolygonMode({ styles: { fillColor: colour, outlineColor: colour, fillOpacity: 0.25, outlineWidth: 2 } }),
        new TerraDrawCircleMode({ styles: { fillColor: colour, outlineColor: colour, fillOpacity: 0.25, outlineWidth: 2 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: colour, lineStringWidth: 3 } }),
        new TerraDrawSelectMode({ flags: { polygon: editable, linestring: editable, circle: { feature: { draggable: true } } } }),
        new TerraDrawRenderMode({ modeName: 'idle', styles: {} }),
      ],
    });
    this.draw.start();
    this.draw.setMode('idle');
    this.draw.on('finish', (id, context) => {
      const f = this.draw.getSnapshotFeature(id);
      if (!f) return;
      if (context.action === 'draw') {
        // Keep only the new shape, selected for adjusting.
        this.draw.removeFeatures(this.draw.getSnapshot().filter((o) => o.id !== id).map((o) => o.id!));
        this.draw.setMode('select');
        this.draw.selectFeature(id);
      }
      this.onChange(f);
    });
  }

  /** Starts drawing a new shape in `mode`, dropping any shape drawn so far. */
  start(mode: DrawMode): void {
    this.draw.clear();
    this.onChange(null);
    this.draw.setMode(TERRA_MODE[mode]);
  }

  /**
   * Puts an existing zone's shape on the map for adjusting. MultiPolygons (imported) cannot be
   * edited by terra-draw: for those, only a new drawing changes the geometry.
   */
  load(f: DrawnFeature): boolean {
    this.draw.clear();
    const [result] = this.draw.addFeatures([f]);
    if (!result?.valid) {
      this.draw.setMode('idle');
      return false;
    }
    this.draw.setMode('select');
    this.draw.selectFeature(result.id!);
    return true;
  }

  /** Ends drawing and removes the shape from the map (it is saved, or abandoned). */
  stop(): void {
    this.draw.clear();
    this.draw.setMode('idle');
  }

  destroy(): void {
    try {
      this.draw.stop();
    } catch {
      // Leaving the page while drawing: the map (and terra-draw's layers with it) is already gone.
    }
  }
}
