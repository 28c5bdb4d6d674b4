/** Public API of the geofence engine (see docs/geofence.md). */
export type {
  SupervisionContext,
  RuleKind,
  RuleStatus,
  RuleVerdict,
  Evaluation,
  Location,
  GeofenceEngine,
  EngineOptions,
  EpisodeSettings,
} from './types.ts';
export { DEFAULT_ENGINE_OPTIONS } from './types.ts';
export { createGeofenceEngine } from './engine.ts';
export type { EpisodeState, EpisodeStep, EpisodeTransition, EvidenceSample, SuspicionChange } from './episode.ts';
export {
  BASE_SETTINGS,
  DEFAULT_EPISODE_SETTINGS,
  atRest,
  combinedScore,
  fixSigma,
  initialEpisodeState,
  quietFix,
  stepEpisode,
  upgradeEpisodeState,
} from './episode.ts';
export { adminUnitsFromGeoJson } from './geojson.ts';
export { scheduleActive, localMinuteOfWeek, utcOffsetMinutes } from './schedule.ts';
