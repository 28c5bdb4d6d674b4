/**
 * Types shared with the API: the TypeBox schemas' Static types, imported from the route files with
 * `import type` so that nothing of the server ends up in the bundle.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import type { Static } from 'typebox';
import type { AlertSchema } from '../../../routes/api/alerts.ts';
import type { LiveTag as LiveTagType } from '../../../routes/api/live.ts';
import type { DistrictStats as DistrictStatsType } from '../../../routes/api/stats.ts';
import type { UiConfig as UiConfigType } from '../../../routes/api/ui-config.ts';
import type { Role } from '../../../plugins/application/auth.ts';
import type { AlertOutcome, Severity, AlertStatus, AlertType } from '../../../../infra/domain/types.ts';

export type Alert = Static<typeof AlertSchema>;
export type LiveTag = LiveTagType;
export type DistrictStats = DistrictStatsType;
export type UiConfig = UiConfigType;
export type { AlertOutcome, Severity, AlertStatus, AlertType, Role };

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  districtId: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UnitProperties {
  id: string;
  level: number;
  parentId: string | null;
  nameEn: string;
  nameRu: string;
  nameKy: string;
}

export interface UnitCollection extends FeatureCollection<Geometry, UnitProperties> {
  attribution: string;
}
