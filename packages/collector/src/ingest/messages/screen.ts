import { z } from 'zod';
import { viewFields } from './common.ts';

export const screenMessage = z.looseObject({ ...viewFields, type: z.literal('screen') });
