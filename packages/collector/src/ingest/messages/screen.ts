import { z } from 'zod';
import { jsonObject, messageBase } from './common.ts';

export const screenMessage = z.looseObject({
  ...messageBase,
  type: z.literal('screen'),
  name: z.string().max(255).nullish(),
  category: z.string().max(255).nullish(),
  properties: jsonObject.optional(),
});
