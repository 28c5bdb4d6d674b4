import { describe, expect, it } from 'vitest';
import { draftFromZone, drawnFromShape, scheduleOf, shapeFromDrawn, zoneBody, type LonLat, type ZoneRecord } from './zone-draft.ts';
import { circlePolygon } from '../../lib/track.ts';

describe('zone drafts', () => {
  it('turns terra-draw features into the API shapes: a circle by its centre and radius, a way into a corridor', () => {
    const ring = circlePolygon(74.6, 42.87, 500, 64).coordinates[0]!;
    const circle = shapeFromDrawn({ geometry: { type: 'Polygon', coordinates: [ring] }, properties: { mode: 'circle', radiusKilometers: 0.5 } }, 100);
    expect(circle).toEqual({ type: 'circle', center: [74.6, 42.87], radiusM: 500 });
    expect(shapeFromDrawn({ geometry: { type: 'LineString', coordinates: [[74.6, 42.87], [74.61, 42.88]] }, properties: { mode: 'linestring' } }, 150))
      .toEqual({ type: 'corridor', path: [[74.6, 42.87], [74.61, 42.88]], halfWidthM: 150 });
    const square: LonLat[][] = [[[74.6, 42.87], [74.61, 42.87], [74.61, 42.88], [74.6, 42.87]]];
    expect(shapeFromDrawn({ geometry: { type: 'Polygon', coordinates: square }, properties: { mode: 'polygon' } }, 100))
      .toEqual({ type: 'polygon', geometry: { type: 'Polygon', coordinates: square } });
    expect(drawnFromShape({ type: 'polygon', geometry: { type: 'MultiPolygon', coordinates: [square] } }, () => [])).toBeNull();
  });

  it('edits a zone as drawn and sends no schedule only for an exclusion zone that always applies', () => {
    const zone: ZoneRecord = {
      id: 'z', kind: 'exclusion', label: 'Road', legalSource: 'office_requirement', legalBasis: 'не появляться', createdAt: 0, updatedAt: null,
      shape: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [] } }, drawnAs: { type: 'corridor', path: [[74.6, 42.87], [74.7, 42.8]], halfWidthM: 50 },
      schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [5, 1], start: '22:00', end: '06:00' }] },
    };
    const d = draftFromZone(zone);
    expect(d.shape).toEqual(zone.drawnAs);
    expect(d.always).toBe(false);
    expect(zoneBody({ ...d, reason: ' moved ' })).toMatchObject({ reason: 'moved', schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 5], start: '22:00', end: '06:00' }] } });
    expect(scheduleOf({ ...d, always: true })).toBeNull();
    // A curfew-home zone has no meaning without its hours, whatever the "always" box says.
    expect(scheduleOf({ ...d, kind: 'curfew_home', always: true })).not.toBeNull();
  });
});
