import type { z } from 'zod';
import { exceeds, MAX_MESSAGE_BYTES } from './limits.ts';
import { isMessageType, messageSchemas, type Message, type MessageType } from './messages/index.ts';

export type ItemErrorCode =
  | 'invalid_message'
  | 'invalid_type'
  | 'invalid_field'
  | 'message_too_large'
  | 'no_valid_identifier';

/** One rejected item of a request: which one, and which field failed. */
export interface ItemError {
  index: number;
  messageId: string | null;
  code: ItemErrorCode;
  field: string | null;
  message: string;
}

export type Validated = { ok: true; message: Message } | { ok: false; error: ItemError };

function messageIdOf(raw: unknown): string | null {
  const id = (raw as { messageId?: unknown } | null)?.messageId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function fail(index: number, raw: unknown, code: ItemErrorCode, field: string | null, message: string): Validated {
  return { ok: false, error: { index, messageId: messageIdOf(raw), code, field, message } };
}

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const text = issue?.message.endsWith('received undefined') ? 'required' : (issue?.message ?? 'invalid');
  return { field, message: `${field || 'message'}: ${text}` };
}

/**
 * Validates one message. `type` comes from the path of single-message endpoints (as Segment
 * does), else from the message itself.
 */
export function validateMessage(raw: unknown, index: number, type?: MessageType): Validated {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(index, raw, 'invalid_message', null, 'a message must be a JSON object');
  }
  const serialized = JSON.stringify(raw);
  if (exceeds(serialized, MAX_MESSAGE_BYTES)) {
    return fail(index, raw, 'message_too_large', null, `message larger than ${MAX_MESSAGE_BYTES} bytes`);
  }
  const messageType = type ?? (raw as { type?: unknown }).type;
  if (!isMessageType(messageType)) {
    return fail(index, raw, 'invalid_type', 'type', `type must be one of ${Object.keys(messageSchemas).join(', ')}`);
  }
  const parsed = messageSchemas[messageType].safeParse({ ...raw, type: messageType });
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    return fail(index, raw, 'invalid_field', field, message);
  }
  const message = parsed.data as Message;
  if (message.type !== 'alias' && !message.userId && !message.anonymousId) {
    return fail(index, raw, 'no_valid_identifier', 'userId', 'a message needs a userId or an anonymousId');
  }
  return { ok: true, message };
}
