import { z } from 'zod';
import { identifier, messageBase } from './common.ts';

/** An alias links previousId to userId; both sides are required (R7). */
export const aliasMessage = z.looseObject({
  ...messageBase,
  type: z.literal('alias'),
  userId: identifier.pipe(z.string().min(1, 'required')),
  previousId: identifier.pipe(z.string().min(1, 'required')),
});
