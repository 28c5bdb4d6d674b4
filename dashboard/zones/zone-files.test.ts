import { describe, expect, it } from 'vitest';
import { parseZoneFile, zonesToKml, type ExportedZone } from './zone-files.ts';

const square = [[[74.6, 42.87], [74.61, 42.87], [74.61, 42.88], [74.6, 42.88], [74.6, 42.87]]];
const zones: ExportedZone[] = [
  { id: '0a1b', kind: 'exclusion', label: 'Бар «Ала-Тоо» & <кафе>', shape: { type: 'polygon', geometry: { type: 'Polygon', coordinates: square } }, drawnAs: null, schedule: null, legalSource: 'court_imposed', legalBasis: 'приговор, п. 3' },
  { id: '9c8d', kind: 'exclusion', label: 'School', shape: { type: 'circle', center: [74.58, 42.84], radiusM: 300 }, drawnAs: null, schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' }] }, legalSource: 'office_requirement', legalBasis: null },
];

describe('zone files', () => {
  it('writes KML 2.2 with escaped text, XML ids and circles as polygons that import back as circles', () => {
    const text = zonesToKml(zones);
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<kml xmlns="http:\/\/www.opengis.net\/kml\/2.2">/);
    expect(text).toContain('&#x3C;кафе>');
    expect(text).toContain('id="zone-0a1b"');
    expect(text).not.toContain('<кафе>');
    const back = parseZoneFile('kml', text);
    expect(back.ok && back.shapes.map((s) => [s.index, s.label, s.shape.type])).toEqual([[0, 'Бар «Ала-Тоо» & <кафе>', 'polygon'], [1, 'School', 'circle']]);
    expect(back.ok && back.shapes[1]!.shape).toEqual({ type: 'circle', center: [74.58, 42.84], radiusM: 300 });
    expect(back.ok && back.shapes[0]!.shape).toEqual({ type: 'polygon', geometry: { type: 'Polygon', coordinates: square } });
  });

  it('drops altitude, merges MultiGeometry polygons and skips points and lines', () => {
    const kml = `<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
      <Placemark><name>pin</name><Point><coordinates>74.6,42.87,0</coordinates></Point></Placemark>
      <Placemark><name>two</name><MultiGeometry>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>74.6,42.87,5 74.61,42.87,5 74.61,42.88,5 74.6,42.87,5</coordinates></LinearRing></outerBoundaryIs></Polygon>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>74.7,42.87 74.71,42.87 74.71,42.88 74.7,42.87</coordinates></LinearRing></outerBoundaryIs></Polygon>
        <Point><coordinates>74.6,42.87</coordinates></Point>
      </MultiGeometry></Placemark></Document></kml>`;
    const r = parseZoneFile('kml', kml);
    expect(r.ok && r.skipped).toEqual([{ index: 0, reason: 'a Point is not an area' }]);
    expect(r.ok && r.shapes[0]).toEqual({
      index: 1, label: 'two',
      shape: { type: 'polygon', geometry: { type: 'MultiPolygon', coordinates: [[[[74.6, 42.87], [74.61, 42.87], [74.61, 42.88], [74.6, 42.87]]], [[[74.7, 42.87], [74.71, 42.87], [74.71, 42.88], [74.7, 42.87]]]] } },
    });
  });

  it('refuses what is not a file of areas, naming the problem', () => {
    expect(parseZoneFile('kml', '<kml><Document><Placemark>')).toMatchObject({ ok: false, field: 'body/data', problem: expect.stringContaining('not well-formed XML') });
    expect(parseZoneFile('kml', '<gpx></gpx>')).toMatchObject({ ok: false, problem: expect.stringContaining('not a KML document') });
    expect(parseZoneFile('kml', '<kml><Document/></kml>')).toMatchObject({ ok: false, problem: 'has no features: nothing to import' });
    expect(parseZoneFile('geojson', '{"type":')).toMatchObject({ ok: false, problem: expect.stringContaining('is not JSON') });
    expect(parseZoneFile('geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[74.6,42.87],[74.7,42.8]]}}]}'))
      .toMatchObject({ ok: false, problem: expect.stringContaining('features/0: a LineString is not an area') });
  });

  it('reads its own GeoJSON export: a circle is a point with radiusM', () => {
    const r = parseZoneFile('geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [74.58, 42.84] }, properties: { label: 'School', radiusM: 300 } }] }));
    expect(r.ok && r.shapes).toEqual([{ index: 0, label: 'School', shape: { type: 'circle', center: [74.58, 42.84], radiusM: 300 } }]);
  });
});
