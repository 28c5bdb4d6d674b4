import { describe, expect, it } from 'vitest';
import { checkZoneShape, MAX_ZONE_VERTICES } from './zone-validation.ts';

const square = (lon: number, lat: number, d = 0.01): [number, number][] => [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]];

describe('zone shape checks', () => {
  it('accepts a square, a circle and a corridor (which becomes a polygon)', () => {
    expect(checkZoneShape({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [square(74.6, 42.87)] } })).toMatchObject({ ok: true });
    expect(checkZoneShape({ type: 'circle', center: [74.6, 42.87], radiusM: 300 })).toMatchObject({ ok: true, shape: { type: 'circle' } });
    const corridor = checkZoneShape({ type: 'corridor', path: [[74.6, 42.87], [74.62, 42.88]], halfWidthM: 50 });
    expect(corridor).toMatchObject({ ok: true, shape: { type: 'polygon' }, drawnAs: { type: 'corridor', halfWidthM: 50 } });
  });
  it('refuses a self-intersecting (bow-tie) polygon, saying where', () => {
    const bowtie: [number, number][] = [[74.6, 42.87], [74.61, 42.88], [74.61, 42.87], [74.6, 42.88], [74.6, 42.87]];
    const r = checkZoneShape({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [bowtie] } }, 'body/shape');
    expect(r).toMatchObject({ ok: false, field: 'body/shape/geometry/coordinates', problem: expect.stringContaining('self-intersects near (74.60500, 42.87500)') });
  });
  it('refuses zero area, coordinates out of range, open rings and too many vertices', () => {
    const flat: [number, number][] = [[74.6, 42.87], [74.61, 42.87], [74.62, 42.87], [74.6, 42.87]];
    expect(checkZoneShape({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [flat] } })).toMatchObject({ ok: false, problem: expect.stringContaining('zero area') });
    const far = square(74.6, 42.87).map(([x, y], i) => (i === 2 ? [x + 200, y] : [x, y]) as [number, number]);
    expect(checkZoneShape({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [far] } })).toMatchObject({ ok: false, field: 'shape/geometry/coordinates/0/2' });
    expect(checkZoneShape({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [square(74.6, 42.87).slice(0, 4)] } })).toMatchObject({ ok: false, problem: expect.stringContaining('end where it starts') });
    const n = MAX_ZONE_VERTICES + 10;
    const many = Array.from({ length: n }, (_, i) => [74.6 + 0.01 * Math.cos((2 * Math.PI * i) / n), 42.87 + 0.01 * Math.sin((2 * Math.PI * i) / n)] as [number, number]);
    many.push(many[0]!);
    expect(checkZoneShape({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [many] } })).toMatchObject({ ok: false, problem: expect.stringContaining('more than 5000 vertices') });
  });
  it('refuses a circle too small to tell from GPS noise and a corridor with one point', () => {
    expect(checkZoneShape({ type: 'circle', center: [74.6, 42.87], radiusM: 3 })).toMatchObject({ ok: false, field: 'shape/radiusM' });
    expect(checkZoneShape({ type: 'circle', center: [274.6, 42.87], radiusM: 300 })).toMatchObject({ ok: false, field: 'shape/center' });
    expect(checkZoneShape({ type: 'corridor', path: [[74.6, 42.87]], halfWidthM: 50 })).toMatchObject({ ok: false, field: 'shape/path' });
  });
});
