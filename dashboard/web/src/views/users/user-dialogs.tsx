import { useState } from 'preact/hooks';
import { api } from '../../api/http.ts';
import type { Role, UnitCollection } from '../../api/types.ts';
import { Dialog } from '../../components/dialog.tsx';
import { FormStatus, invalidIf } from '../../components/form-status.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { needsDistrict, type AdminUser } from './admin-user.ts';
import { RoleDistrictFields } from './role-district-fields.tsx';

export type UserAction = 'edit' | 'password' | 'disable' | 'enable';

/**
 * One administrative action on a user, each with its audited reason: change the role and
 * district, reset the password, disable or enable the account. Resolves with the success message.
 */
export function UserActionDialog({ action, user, units, onClose, onDone }: {
  action: UserAction;
  user: AdminUser;
  units: UnitCollection;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { t } = useI18n();
  const [role, setRole] = useState<Role>(user.role);
  const [districtId, setDistrictId] = useState(user.districtId ?? '');
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const name = user.displayName;
  const titles: Record<UserAction, string> = {
    edit: t('users.editTitle', { name }), password: t('users.resetTitle', { name }), disable: t('users.disableTitle', { name }), enable: t('users.enableTitle', { name }),
  };
  const labels = { role: t('users.col.role'), districtId: t('users.district'), password: t('users.newPassword'), reason: t('users.reason') };

  const submit = async () => {
    setBusy(true);
    try {
      if (action === 'edit') {
        await api(`/api/users/${user.id}`, { method: 'PATCH', body: { role, districtId: needsDistrict(role) ? districtId || null : null, reason } });
        onDone(t('users.updated', { username: user.username }));
      } else if (action === 'password') {
        await api(`/api/users/${user.id}/password`, { method: 'POST', body: { password, reason } });
        onDone(t('users.passwordReset', { username: user.username }));
      } else {
        await api(`/api/users/${user.id}/${action}`, { method: 'POST', body: { reason } });
        onDone(t(action === 'disable' ? 'users.disabledDone' : 'users.enabledDone', { username: user.username }));
      }
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={titles[action]} onClose={onClose} onSubmit={() => void submit()} submitLabel={action === 'disable' ? t('users.disable') : action === 'enable' ? t('users.enable') : t('common.save')} busy={busy}>
      {action === 'edit' ? (
        <>
          <RoleDistrictFields role={role} onRole={setRole} districtId={districtId} onDistrict={setDistrictId} units={units} error={error} labels={labels} />
          <p class="hint">{t('users.sessionsEnd')}</p>
        </>
      ) : null}
      {action === 'password' ? (
        <label>{labels.password}<input name="password" type="password" required minLength={12} autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} aria-invalid={invalidIf(error, 'password')} /></label>
      ) : null}
      {action === 'disable' ? <p class="hint">{t('users.disableHint')}</p> : null}
      <label>{labels.reason}<textarea name="reason" required minLength={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} aria-invalid={invalidIf(error, 'reason')} /></label>
      <FormStatus error={error} labels={labels} />
    </Dialog>
  );
}
