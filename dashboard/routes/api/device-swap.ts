import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors } from '../../errors.ts';
import { requireClient } from '../../cases/client-record.ts';
import { fitDevice, removeDevice, REMOVAL_CODES } from '../../cases/device-assignment.ts';
import { Assignment, IdParams, errors } from '../../cases/schemas.ts';

const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_-]{3,64}$' });
const SwapBody = Type.Object(
  {
    fromDeviceId: DeviceId,
    toDeviceId: DeviceId,
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    at: Type.Optional(Type.Integer({ minimum: 0, description: 'When the tags were swapped (epoch ms); defaults to now' })),
    removalCode: Type.Optional(Type.Enum(REMOVAL_CODES, { description: 'Why the old tag comes off; default broken (a swap is usually for a broken tag); lost revokes its broker account' })),
    removedStatus: Type.Optional(Type.Enum(['faulty', 'in_stock'], { description: 'What becomes of the removed tag; overrides what removalCode implies' })),
  },
  { additionalProperties: false },
);

/**
 * Swapping a broken tag in one step (issue 19): the old assignment ends and the new one begins at
 * the same instant, in one transaction, so the client is never without a tag on the record and the
 * track continues across the two devices.
 */
const deviceSwapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/clients/:id/device-swap',
    {
      preHandler: app.requireUser('officer', 'admin'),
      schema: { tags: ['cases'], summary: "Swap the client's tag for another in stock, at one instant; audited as device.remove and device.fit", params: IdParams, body: SwapBody, response: { 200: Type.Object({ removed: Assignment, fitted: Assignment }), ...errors } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof SwapBody>;
      const user = request.user!;
      const at = b.at ?? Date.now();
      if (at > Date.now() + 60_000) throw new Errors.VALIDATION('body/at cannot be in the future');
      if (b.fromDeviceId === b.toDeviceId) throw new Errors.VALIDATION('body/toDeviceId must differ from body/fromDeviceId');
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        const removed = await removeDevice(db, id, b.fromDeviceId, at, user, b.reason, b.removalCode ?? 'broken', 'body/fromDeviceId', b.removedStatus);
        const fitted = await fitDevice(db, id, b.toDeviceId, at, user, b.reason, 'body/toDeviceId');
        return { removed, fitted };
      });
    },
  );
};

export default deviceSwapRoutes;
