import { z } from 'zod';
import { viewFields } from './common.ts';

export const pageMessage = z.looseObject({ ...viewFields, type: z.literal('page') });
