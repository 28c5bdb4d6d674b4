import { useState } from 'preact/hooks';
import { DEFERRAL_ARRIVAL_BASES, REGIME_KINDS, RISK_LEVELS } from '../../../../infra/domain/types.ts';
import { api } from '../api/http.ts';
import type { CaseFile } from '../api/case-types.ts';
import type { UnitCollection, User } from '../api/types.ts';
import { FormStatus, invalidIf } from '../components/form-status.tsx';
import { UnitSelect } from '../components/unit-select.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { unitName } from '../lib/units.ts';
import { navigate } from '../router.ts';
import { DutiesInput } from './onboarding/duties-input.tsx';
import { TermPreview } from './onboarding/term-preview.tsx';

type Regime = (typeof REGIME_KINDS)[number];
type DeferralBasis = (typeof DEFERRAL_ARRIVAL_BASES)[number];
type Risk = (typeof RISK_LEVELS)[number];

/**
 * Putting a client on the register (issue 19, POST /api/clients): the court's decision, the
 * regime and term, where the client lives and the duties the court imposed. The server computes
 * the term, the arrival deadline and the check-in calendar by law; the form previews them with the
 * same code, then opens the new case file, which shows them.
 */
export function OnboardingView({ user, units }: { user: User; units: UnitCollection }) {
  const { t, lang } = useI18n();
  const [v, setV] = useState({
    fullName: '', regime: 'probation_supervision' as Regime, courtDecisionDate: '', courtName: '', effectiveDate: '', registeredOn: '', termMonths: '12',
    residenceUnitId: user.districtId ?? '', districtId: '', birthDate: '', address: '', riskLevel: 'medium' as Risk, plan: '',
    deferralBasis: 'court_decision' as DeferralBasis, arrivedAtResidenceOn: '', childBirthDate: '',
  });
  const [duties, setDuties] = useState<string[]>([]);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const deferred = v.regime === 'deferred_sentence';
  const released = deferred && v.deferralBasis === 'release_from_prison';
  const labels: Record<string, string> = {
    fullName: t('onboarding.fullName'), regime: t('client.regime'), courtDecisionDate: t('onboarding.courtDecisionDate'), courtName: t('onboarding.courtName'),
    effectiveDate: t('onboarding.effectiveDate'), registeredOn: t('onboarding.registeredOn'), termMonths: t('onboarding.termMonths'), residenceUnitId: t('onboarding.residence'),
    districtId: t('onboarding.district'), birthDate: t('onboarding.birthDate'), address: t('onboarding.address'), riskLevel: t('client.risk'), courtDuties: t('onboarding.duties'),
    plan: t('onboarding.plan'), deferralBasis: t('onboarding.deferralBasis'), arrivedAtResidenceOn: t('onboarding.arrivedAtResidenceOn'), childBirthDate: t('onboarding.childBirthDate'),
  };
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const file = await api<CaseFile>('/api/clients', {
        method: 'POST',
        body: {
          fullName: v.fullName.trim(), regime: v.regime, courtDecisionDate: v.courtDecisionDate, courtName: opt(v.courtName), effectiveDate: v.effectiveDate,
          registeredOn: opt(v.registeredOn), termMonths: Number(v.termMonths), residenceUnitId: v.residenceUnitId,
          districtId: user.districtId ? undefined : opt(v.districtId), birthDate: opt(v.birthDate), address: opt(v.address), riskLevel: v.riskLevel,
          courtDuties: duties.map((d) => d.trim()).filter(Boolean), plan: opt(v.plan),
          ...(deferred ? { deferralBasis: v.deferralBasis, childBirthDate: opt(v.childBirthDate), ...(released ? { arrivedAtResidenceOn: opt(v.arrivedAtResidenceOn) } : {}) } : {}),
        },
      });
      navigate(`clients/${file.client.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const date = (k: 'courtDecisionDate' | 'effectiveDate' | 'registeredOn' | 'birthDate' | 'arrivedAtResidenceOn' | 'childBirthDate', required = false, hint?: string) => (
    <label>{labels[k]}<input type="date" name={k} value={v[k]} required={required} onInput={set(k)} aria-invalid={invalidIf(error, k)} />{hint ? <span class="hint">{hint}</span> : null}</label>
  );

  return (
    <section aria-labelledby="onboarding-h">
      <div class="toolbar">
        <h1 id="onboarding-h">{t('onboarding.heading')}</h1>
        <a href="#/clients">{t('onboarding.back')}</a>
      </div>
      <form class="form-grid" onSubmit={(e) => void submit(e)} data-testid="onboarding">
        <label class="span-all">{labels.fullName}<input name="fullName" required minLength={3} maxLength={200} value={v.fullName} onInput={set('fullName')} aria-invalid={invalidIf(error, 'fullName')} /></label>
        <label>{labels.regime}
          <select name="regime" value={v.regime} onChange={set('regime')}>
            {REGIME_KINDS.map((r) => <option key={r} value={r}>{t(`regime.${r}`)}</option>)}
          </select>
        </label>
        {deferred ? (
          <label>{labels.deferralBasis}
            <select name="deferralBasis" value={v.deferralBasis} onChange={set('deferralBasis')} aria-invalid={invalidIf(error, 'deferralBasis')}>
              {DEFERRAL_ARRIVAL_BASES.map((b) => <option key={b} value={b}>{t(`deferral.${b}`)}</option>)}
            </select>
          </label>
        ) : null}
        {released ? date('arrivedAtResidenceOn', false, t('onboarding.notYetHint')) : null}
        {deferred ? date('childBirthDate') : null}
        {date('courtDecisionDate', true)}
        <label>{labels.courtName}<input name="courtName" minLength={3} maxLength={300} value={v.courtName} onInput={set('courtName')} aria-invalid={invalidIf(error, 'courtName')} /></label>
        {date('effectiveDate', true)}
        {date('registeredOn', false, t('onboarding.notYetHint'))}
        <label>{labels.termMonths}<input type="number" name="termMonths" required min={1} max={600} value={v.termMonths} onInput={set('termMonths')} aria-invalid={invalidIf(error, 'termMonths')} /></label>
        <label>{labels.residenceUnitId}
          <UnitSelect units={units} name="residenceUnitId" value={v.residenceUnitId} onChange={(id) => setV({ ...v, residenceUnitId: id })} emptyLabel="" required invalid={invalidIf(error, 'residenceUnitId')} />
        </label>
        {user.districtId ? (
          <p>{labels.districtId}: <strong>{unitName(units, user.districtId, lang)}</strong></p>
        ) : (
          <label>{labels.districtId}
            <UnitSelect units={units} name="districtId" value={v.districtId} onChange={(id) => setV({ ...v, districtId: id })} emptyLabel="" required invalid={invalidIf(error, 'districtId')} />
          </label>
        )}
        {date('birthDate')}
        <label>{labels.address}<input name="address" minLength={3} maxLength={500} value={v.address} onInput={set('address')} aria-invalid={invalidIf(error, 'address')} /></label>
        <label>{labels.riskLevel}
          <select name="riskLevel" value={v.riskLevel} onChange={set('riskLevel')}>
            {RISK_LEVELS.map((r) => <option key={r} value={r}>{t(`risk.${r}`)}</option>)}
          </select>
        </label>
        <DutiesInput duties={duties} onChange={setDuties} invalid={invalidIf(error, 'courtDuties')} />
        <label class="span-all">{labels.plan}<textarea name="plan" maxLength={20000} value={v.plan} onInput={set('plan')} aria-invalid={invalidIf(error, 'plan')} /></label>
        <TermPreview input={{
          regime: v.regime, effectiveDate: v.effectiveDate, registeredOn: v.registeredOn || null, termMonths: Number(v.termMonths),
          deferralBasis: deferred ? v.deferralBasis : null, arrivedAtResidenceOn: released ? v.arrivedAtResidenceOn || null : null,
        }} />
        <div class="span-all"><FormStatus error={error} labels={labels} /></div>
        <div class="actions span-all"><button type="submit" class="primary" disabled={busy}>{t('onboarding.submit')}</button></div>
      </form>
    </section>
  );
}
