import { useState } from 'preact/hooks';
import { api } from '../../api/http.ts';
import { Dialog } from '../../components/dialog.tsx';
import { FormStatus, invalidIf } from '../../components/form-status.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { newTerms, scheduleOf, type ZoneTerms } from './zone-draft.ts';
import { ZoneTermsFields, zoneFieldLabels } from './zone-terms.tsx';

/**
 * Imports a KML or GeoJSON file: every polygon in it becomes a zone with the terms given here. The
 * server checks each one as a drawn zone and creates all or none; its 400 names the feature.
 */
export function ZoneImportDialog({ clientId, onClose, onDone }: { clientId: string; onClose(): void; onDone(message: string): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [terms, setTerms] = useState<ZoneTerms>(newTerms);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const format = /\.kml$/i.test(file.name) ? 'kml' : 'geojson';
      const r = await api<{ zones: unknown[]; skipped: unknown[] }>(`/api/clients/${clientId}/zones/import`, {
        method: 'POST',
        body: {
          format, data: await file.text(), labelPrefix: file.name.slice(0, 150),
          kind: terms.kind, schedule: scheduleOf(terms), legalSource: terms.legalSource, legalBasis: terms.legalBasis.trim(), reason: terms.reason.trim(),
        },
      });
      onDone(t('zones.imported', { count: r.zones.length, skipped: r.skipped.length }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('zones.importTitle')} onClose={onClose} onSubmit={() => void submit()} submitLabel={t('zones.import')} busy={busy || !file}>
      <p class="hint">{t('zones.importNote')}</p>
      <label>{t('zones.file')}
        <input type="file" name="file" required accept=".kml,.geojson,.json,application/vnd.google-earth.kml+xml,application/geo+json"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} aria-invalid={invalidIf(error, 'data')} />
      </label>
      <ZoneTermsFields terms={terms} onChange={(patch) => setTerms((s) => ({ ...s, ...patch }))} error={error} />
      <FormStatus error={error} labels={zoneFieldLabels(t)} />
    </Dialog>
  );
}
