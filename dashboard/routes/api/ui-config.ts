import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../../infra/config/config.ts';
import { BOUNDARY_ATTRIBUTION } from './units.ts';

export const UiConfigSchema = Type.Object({
  /** Minutes from an alert being raised to its acknowledgement target, per severity. */
  slaAckMinutes: Type.Object({ critical: Type.Number(), high: Type.Number(), medium: Type.Number(), low: Type.Number() }),
  /** Raster tile URL template, or null: the map then draws only the platform's own boundaries. */
  tileUrl: Type.Union([Type.String(), Type.Null()]),
  tileAttribution: Type.Union([Type.String(), Type.Null()]),
  boundaryAttribution: Type.String(),
  /** Hours an officer has to decide a travel request ("в суточный срок": PEC KR art. 63(2), art. 166(2)). */
  travelDecisionHours: Type.Number(),
});
export type UiConfig = Static<typeof UiConfigSchema>;

/** What the web UI needs from the server's configuration; public, so the sign-in page can use it. */
const uiConfigRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const body: UiConfig = {
    slaAckMinutes: {
      critical: config.SLA_CRITICAL_ACK_MINUTES,
      high: config.SLA_HIGH_ACK_MINUTES,
      medium: config.SLA_MEDIUM_ACK_MINUTES,
      low: config.SLA_LOW_ACK_MINUTES,
    },
    tileUrl: config.MAP_TILE_URL || null,
    tileAttribution: config.MAP_TILE_ATTRIBUTION || null,
    boundaryAttribution: BOUNDARY_ATTRIBUTION,
    travelDecisionHours: 24,
  };
  app.get('/ui-config', { schema: { tags: ['reference'], summary: 'Settings the web UI needs (SLA targets, map tiles, attribution)', response: { 200: UiConfigSchema } } }, async () => body);
};

export default uiConfigRoutes;
