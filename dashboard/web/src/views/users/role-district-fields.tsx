import type { Role, UnitCollection } from '../../api/types.ts';
import { invalidIf } from '../../components/form-status.tsx';
import { UnitSelect } from '../../components/unit-select.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { needsDistrict, ROLES } from './admin-user.ts';

/** A user's role and district office: the district only for the roles that have one, as the API requires. */
export function RoleDistrictFields({ role, onRole, districtId, onDistrict, units, error, labels }: {
  role: Role;
  onRole(role: Role): void;
  districtId: string;
  onDistrict(id: string): void;
  units: UnitCollection;
  error: Error | undefined;
  labels: { role: string; districtId: string };
}) {
  const { t } = useI18n();
  return (
    <>
      <label>{labels.role}
        <select name="role" value={role} onChange={(e) => onRole((e.target as HTMLSelectElement).value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
        </select>
      </label>
      <label>{labels.districtId}
        <UnitSelect units={units} name="districtId" value={needsDistrict(role) ? districtId : ''} onChange={onDistrict} emptyLabel={t('users.noDistrict')} required={needsDistrict(role)} disabled={!needsDistrict(role)} invalid={invalidIf(error, 'districtId')} />
      </label>
    </>
  );
}
