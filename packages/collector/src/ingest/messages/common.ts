import { z } from 'zod';

const MAX_ID = 255;

/** R5: ids are strings; numbers become decimal strings; trimmed; at most 255 characters. */
export const identifier = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v).trim())
  .pipe(z.string().max(MAX_ID, 'longer than 255 characters'));

/** ISO-8601 instant that PostgreSQL can store (years 1970-9999 keep dates sane). */
export const isoTimestamp = z.string().refine((v) => {
  const ms = Date.parse(v);
  return Number.isFinite(ms) && ms >= 0 && ms < 253402300800000;
}, 'not an ISO-8601 date-time');

export const jsonObject = z.record(z.string(), z.unknown());

/** Fields every Segment message may carry; unknown top-level fields are ignored. */
export const messageBase = {
  messageId: identifier.pipe(z.string().min(1, 'empty')).optional(),
  anonymousId: identifier.nullish(),
  userId: identifier.nullish(),
  timestamp: isoTimestamp.optional(),
  originalTimestamp: isoTimestamp.optional(),
  sentAt: isoTimestamp.optional(),
  context: jsonObject.optional(),
  integrations: jsonObject.optional(),
};

/** Page and screen views share their fields: a name, a category and the view's properties. */
export const viewFields = {
  ...messageBase,
  name: z.string().max(255).nullish(),
  category: z.string().max(255).nullish(),
  properties: jsonObject.optional(),
};
