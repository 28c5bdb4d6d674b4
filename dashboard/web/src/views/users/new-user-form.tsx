import { useState } from 'preact/hooks';
import { api } from '../../api/http.ts';
import type { Role, UnitCollection } from '../../api/types.ts';
import { FormStatus, invalidIf } from '../../components/form-status.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { needsDistrict, type AdminUser } from './admin-user.ts';
import { RoleDistrictFields } from './role-district-fields.tsx';

/** Creates a user: a district only for the roles that have one, as the API requires. */
export function NewUserForm({ units, onCreated }: { units: UnitCollection; onCreated(user: AdminUser): void }) {
  const { t } = useI18n();
  const [role, setRole] = useState<Role>('officer');
  const [districtId, setDistrictId] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const labels = { username: t('users.col.username'), displayName: t('users.displayName'), role: t('users.col.role'), districtId: t('users.district'), password: t('users.initialPassword'), reason: t('users.reason') };

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    setBusy(true);
    try {
      const user = await api<AdminUser>('/api/users', {
        method: 'POST',
        body: {
          username: String(f.get('username')).trim(), displayName: String(f.get('displayName')).trim(), role,
          ...(needsDistrict(role) ? { districtId } : {}), password: String(f.get('password')), reason: String(f.get('reason')),
        },
      });
      setError(undefined);
      form.reset();
      setDistrictId('');
      onCreated(user);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="new-user-h" data-testid="new-user">
      <h2 id="new-user-h" class="span-all">{t('users.new')}</h2>
      <label>{labels.username}<input name="username" required autoComplete="off" aria-invalid={invalidIf(error, 'username')} /><span class="hint">{t('users.usernameHint')}</span></label>
      <label>{labels.displayName}<input name="displayName" required maxLength={200} aria-invalid={invalidIf(error, 'displayName')} /></label>
      <RoleDistrictFields role={role} onRole={setRole} districtId={districtId} onDistrict={setDistrictId} units={units} error={error} labels={labels} />
      <label>{labels.password}<input name="password" type="password" required minLength={12} autoComplete="new-password" aria-invalid={invalidIf(error, 'password')} /></label>
      <label class="span-all">{labels.reason}<input name="reason" required minLength={3} aria-invalid={invalidIf(error, 'reason')} /></label>
      <div class="actions span-all"><button type="submit" class="primary" disabled={busy}>{t('users.create')}</button></div>
      <div class="span-all"><FormStatus error={error} labels={labels} /></div>
    </form>
  );
}
