import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

// MapLibre finds its worker next to its own module, which a bundle moves; point it at the copy
// Vite emits (served by the dashboard itself, no CDN).
setWorkerUrl(workerUrl);

/** Whether this browser can draw the map at all. */
export function webglAvailable(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}
