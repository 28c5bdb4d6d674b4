import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, TOKMOK_CITY, expectJson, registerClient, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Zone { id: string; kind: string; label: string; shape: { type: string; center?: number[]; radiusM?: number; geometry?: { type: string; coordinates: unknown } }; legalSource: string; legalBasis: string }

const square = [[[74.6, 42.87], [74.61, 42.87], [74.61, 42.88], [74.6, 42.88], [74.6, 42.87]]];
const placemark = (name: string, ring: string) =>
  `<Placemark><name>${name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${ring}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`;
const kmlDoc = (...placemarks: string[]) => `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${placemarks.join('')}</Document></kml>`;
const GOOD_RING = '74.62,42.87,0 74.63,42.87,0 74.63,42.88,0 74.62,42.88,0 74.62,42.87,0';
const BOWTIE_RING = '74.6,42.87 74.61,42.88 74.61,42.87 74.6,42.88 74.6,42.87';

// Issue 19: zones leave and enter the platform as KML 2.2 (and GeoJSON), checked as drawn zones are.
describe('zones as KML: export and import', () => {
  let p: TestPlatform;
  let source: string;
  let target: string;
  let officer: Session & { id: string };
  let outsider: Session & { id: string };
  let admin: Session & { id: string };
  const legal = { kind: 'exclusion', legalSource: 'court_imposed', legalBasis: 'не посещать указанные места (приговор, п. 3)', reason: 'перенос зон из ГИС суда' };
  const importInto = (s: Session, client: string, body: Record<string, unknown>) =>
    s.fetch(`/api/clients/${client}/zones/import`, { method: 'POST', body: JSON.stringify({ ...legal, ...body }) });
  const zonesOf = async (client: string) => (await p.pool.query<{ label: string }>('select label from zones where client_id = $1 order by created_at, id', [client])).rows.map((r) => r.label);

  beforeAll(async () => {
    p = await startTestPlatform({ devices: ['KML-TAG-1', 'KML-TAG-2'] });
    source = await registerClient(p.pool, 'KML-TAG-1', { unitId: BISHKEK });
    target = await registerClient(p.pool, 'KML-TAG-2', { unitId: BISHKEK });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'kml-officer', 'officer', BISHKEK);
    outsider = await signedInUser(p.pool, p.dashboardUrl, 'kml-outsider', 'officer', TOKMOK_CITY);
    admin = await signedInUser(p.pool, p.dashboardUrl, 'kml-admin', 'admin');
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('exports KML 2.2 and imports it back into another client: same shapes, circles as circles, each zone audited with its feature', async () => {
    const post = (body: Record<string, unknown>) => expectJson<Zone>(officer.fetch(`/api/clients/${source}/zones`, { method: 'POST', body: JSON.stringify({ ...legal, ...body }) }), 201);
    await post({ label: 'Бар «Ала-Тоо» & <кафе>', shape: { type: 'polygon', geometry: { type: 'Polygon', coordinates: square } } });
    await post({ label: 'Школа № 5', shape: { type: 'circle', center: [74.58, 42.84], radiusM: 300 }, schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' }] } });

    const res = await officer.fetch(`/api/clients/${source}/zones.kml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.google-earth.kml+xml');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="zones-${source}.kml"`);
    const text = await res.text();
    const doc = new DOMParser().parseFromString(text, 'text/xml');
    expect(doc.documentElement?.namespaceURI).toBe('http://www.opengis.net/kml/2.2');
    const names = Array.from(doc.getElementsByTagName('name')).map((n) => n.textContent);
    expect(names).toEqual(['Бар «Ала-Тоо» & <кафе>', 'Школа № 5']);
    const data = Object.fromEntries(Array.from(doc.getElementsByTagName('Data')).map((d) => [d.getAttribute('name'), d.textContent]));
    expect(data).toMatchObject({ radiusM: '300', centerLon: '74.58', centerLat: '42.84', legalSource: 'court_imposed' });
    // The circle is a polygon in KML, which has no circles.
    expect(doc.getElementsByTagName('Polygon')).toHaveLength(2);

    const imported = await expectJson<{ zones: Zone[]; skipped: unknown[] }>(importInto(officer, target, { format: 'kml', data: text }), 201);
    expect(imported.skipped).toEqual([]);
    expect(imported.zones.map((z) => [z.label, z.shape.type])).toEqual([['Бар «Ала-Тоо» & <кафе>', 'polygon'], ['Школа № 5', 'circle']]);
    expect(imported.zones[0]!.shape.geometry).toEqual({ type: 'Polygon', coordinates: square });
    expect(imported.zones[1]!.shape).toEqual({ type: 'circle', center: [74.58, 42.84], radiusM: 300 });
    const audit = await p.pool.query<{ actor: string; reason: string; details: { zoneId: string; importedFrom: { format: string; featureIndex: number } } }>(
      `select actor, reason, details from audit_log where action = 'zone.create' and subject_id = $1 order by seq`, [target],
    );
    expect(audit.rows.map((r) => [r.actor, r.reason, r.details.zoneId, r.details.importedFrom])).toEqual([
      ['kml-officer', legal.reason, imported.zones[0]!.id, { format: 'kml', featureIndex: 0 }],
      ['kml-officer', legal.reason, imported.zones[1]!.id, { format: 'kml', featureIndex: 1 }],
    ]);

    // GeoJSON too, with the points of a file skipped and reported, not silently turned into zones.
    const geo = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'pin' }, geometry: { type: 'Point', coordinates: [74.6, 42.87] } },
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square } },
    ] };
    const fromGeo = await expectJson<{ zones: Zone[]; skipped: unknown[] }>(importInto(officer, target, { format: 'geojson', data: JSON.stringify(geo), labelPrefix: 'court.geojson' }), 201);
    expect(fromGeo.zones.map((z) => z.label)).toEqual(['court.geojson #2']);
    expect(fromGeo.skipped).toEqual([{ index: 0, reason: 'a Point is not an area' }]);
  });

  it('refuses a bad file with a 400 naming the feature and the problem, and creates nothing from it', async () => {
    const before = await zonesOf(target);
    const cases: [Record<string, unknown>, string][] = [
      [{ format: 'kml', data: '<kml><Document><Placemark><name>a</name>' }, 'body/data is not well-formed XML'],
      [{ format: 'kml', data: '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>x</Document></kml>' }, 'body/data is not well-formed XML'],
      [{ format: 'kml', data: kmlDoc() }, 'body/data has no features: nothing to import'],
      [{ format: 'kml', data: '<gpx version="1.1"></gpx>' }, 'body/data is not a KML document'],
      [{ format: 'kml', data: kmlDoc('<Placemark><name>pin</name><Point><coordinates>74.6,42.87</coordinates></Point></Placemark>') }, 'body/data has no polygon among its 1 feature(s)'],
      // The first placemark is good: the second, a bow-tie, stops the whole file.
      [{ format: 'kml', data: kmlDoc(placemark('Рынок', GOOD_RING), placemark('Bowtie', BOWTIE_RING)) }, 'body/data/features/1/geometry/coordinates ("Bowtie") self-intersects near'],
      [{ format: 'geojson', data: '{"type": "FeatureCollection", "features": [' }, 'body/data is not JSON'],
      [{ format: 'kml', data: kmlDoc(placemark('Дом', GOOD_RING)), kind: 'curfew_home' }, 'body/schedule is required for a curfew_home zone'],
    ];
    for (const [body, message] of cases) {
      const res = await importInto(officer, target, body);
      const text = (await res.json() as { message: string }).message;
      expect({ message, status: res.status, text }).toEqual({ message, status: 400, text: expect.stringContaining(message) });
    }
    expect((await importInto(officer, target, { format: 'kml', data: kmlDoc(placemark('Рынок', GOOD_RING)), legalBasis: 'x' })).status).toBe(400);
    expect(await zonesOf(target)).toEqual(before);

    // The same scope as drawing: another district's client is not there; an administrator draws no zones.
    expect((await importInto(outsider, target, { format: 'kml', data: kmlDoc(placemark('Рынок', GOOD_RING)) })).status).toBe(404);
    expect((await importInto(admin, target, { format: 'kml', data: kmlDoc(placemark('Рынок', GOOD_RING)) })).status).toBe(403);
    expect((await outsider.fetch(`/api/clients/${target}/zones.kml`)).status).toBe(404);
    expect(await zonesOf(target)).toEqual(before);
  });

  it('lists the zones as drawn, with whether the user may change them', async () => {
    const mine = await expectJson<{ zones: Zone[]; canEdit: boolean }>(officer.fetch(`/api/clients/${source}/zones`));
    expect(mine.canEdit).toBe(true);
    expect(mine.zones.map((z) => z.label)).toEqual(['Бар «Ала-Тоо» & <кафе>', 'Школа № 5']);
    expect((await expectJson<{ canEdit: boolean }>(admin.fetch(`/api/clients/${source}/zones`))).canEdit).toBe(false);
    expect((await outsider.fetch(`/api/clients/${source}/zones`)).status).toBe(404);
  });

  it('documents the new routes in the OpenAPI document, with their schemas', async () => {
    const doc = await expectJson<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; responses: Record<string, { content?: Record<string, unknown> }> }>> }>(fetch(`${p.dashboardUrl}/openapi.json`));
    const imp = doc.paths['/api/clients/{id}/zones/import']?.post;
    expect(imp?.requestBody?.content['application/json']?.schema.required).toEqual(expect.arrayContaining(['format', 'data', 'kind', 'legalSource', 'legalBasis', 'reason']));
    expect(Object.keys(imp?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '403', '404']));
    expect(Object.keys(doc.paths['/api/clients/{id}/zones.kml']?.get?.responses['200']?.content ?? {})).toEqual(['application/vnd.google-earth.kml+xml']);
    expect(doc.paths['/api/clients/{id}/zones']?.get).toBeDefined();
  });
});
