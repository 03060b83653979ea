import { z } from 'zod';
import { jsonObject, messageBase } from './common.ts';

export const identifyMessage = z.looseObject({
  ...messageBase,
  type: z.literal('identify'),
  traits: jsonObject.optional(),
});
