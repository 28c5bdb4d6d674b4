import type { Role } from '../../api/types.ts';

/** A user as GET /api/users lists them (dashboard/routes/api/users.ts, UserView). */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  districtId: string | null;
  disabledAt: number | null;
  demo: boolean;
  createdAt: number;
}

export const ROLES: readonly Role[] = ['operator', 'officer', 'supervisor', 'admin'];
/** Officers and supervisors belong to a district office; operators and admins work across districts. */
export const needsDistrict = (role: Role): boolean => role === 'officer' || role === 'supervisor';
