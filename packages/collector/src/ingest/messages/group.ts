import { z } from 'zod';
import { identifier, jsonObject, messageBase } from './common.ts';

export const groupMessage = z.looseObject({
  ...messageBase,
  type: z.literal('group'),
  groupId: identifier.pipe(z.string().min(1, 'required')),
  traits: jsonObject.optional(),
});
