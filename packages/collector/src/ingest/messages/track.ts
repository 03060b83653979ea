import { z } from 'zod';
import { jsonObject, messageBase } from './common.ts';

export const trackMessage = z.looseObject({
  ...messageBase,
  type: z.literal('track'),
  event: z.string().trim().min(1, 'required').max(255, 'longer than 255 characters'),
  properties: jsonObject.optional(),
});
