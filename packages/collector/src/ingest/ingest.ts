import type { RowOutcome } from '../db/event-writer.ts';
import type { EventRow } from '../db/schema.ts';
import { cleanIdentifiers, type CleanIdentifiers, type IdentityPolicy } from '../identity/clean.ts';
import type { Message, MessageType } from './messages/index.ts';
import { toEventRow, type Arrival } from './to-row.ts';
import { validateMessage, type ItemError } from './validate.ts';

export type WarningCode = 'duplicate' | 'blocked_identifier' | 'merge_conflict' | 'identity_limit' | 'suppressed';

export interface ItemWarning {
  index: number;
  messageId: string;
  code: WarningCode;
  message: string;
}

const WARNING_TEXT: Record<WarningCode, string> = {
  duplicate: 'this messageId was already stored; the copy was ignored',
  blocked_identifier: 'an identifier is a placeholder value (such as "undefined" or "0") and was dropped',
  merge_conflict: 'this message links identifiers of two different known users; the link was not applied',
  identity_limit: 'the link would make a profile too large; it was not applied',
  suppressed: 'an identifier belongs to an erased person: the message was dropped, or the identifier removed',
};

/** Which of these identifier values are suppressed (R20); only asked when the workspace has any. */
export type SuppressedAmong = (values: string[]) => Promise<Set<string>>;

export interface IngestOutcome {
  /** Items newly stored by this request. */
  stored: number;
  errors: ItemError[];
  warnings: ItemWarning[];
}

/** Stores rows and says, per row, whether it was new and what identity made of it. */
export type WriteRows = (rows: EventRow[]) => Promise<RowOutcome[]>;

/**
 * Validates and enriches each item on its own, then writes the valid ones together. Invalid
 * items are reported by index and never stop the valid ones (R3).
 */
export async function ingestItems(
  items: unknown[],
  arrival: Arrival,
  policy: IdentityPolicy,
  write: WriteRows,
  type?: MessageType,
  suppressedAmong?: SuppressedAmong,
): Promise<IngestOutcome> {
  const errors: ItemError[] = [];
  const warnings: ItemWarning[] = [];
  const rows: EventRow[] = [];
  const indexes: number[] = [];
  const warn = (index: number, messageId: string, code: WarningCode) =>
    warnings.push({ index, messageId, code, message: WARNING_TEXT[code] });
  const accepted: Array<{ index: number; message: Message; ids: CleanIdentifiers }> = [];
  items.forEach((item, index) => {
    const validated = validateMessage(item, index, type);
    if (!validated.ok) return void errors.push(validated.error);
    accepted.push({ index, message: validated.message, ids: cleanIdentifiers(validated.message, policy) });
  });
  const values = accepted.flatMap(({ ids }) => [ids.anonymousId, ids.userId, ids.email, ids.previousId].filter((v): v is string => !!v));
  const suppressed = suppressedAmong && values.length > 0 ? await suppressedAmong([...new Set(values)]) : new Set<string>();
  for (const { index, message, ids: raw } of accepted) {
    const messageId = message.messageId ?? null;
    const ids: Suppressed = suppressed.size > 0 ? suppress(message, raw, suppressed) : raw;
    if (ids.dropped) {
      warn(index, messageId ?? '', 'suppressed');
      continue;
    }
    if (ids !== raw) warn(index, messageId ?? '', 'suppressed');
    if (ids.rejected) {
      const what = message.type === 'alias' ? 'an alias needs a valid userId and previousId' : 'a message needs a valid userId or anonymousId';
      errors.push({ index, messageId, code: 'no_valid_identifier', field: 'userId', message: `${what} (placeholder values such as "undefined" do not count)` });
      continue;
    }
    const row = toEventRow(message, arrival, ids);
    if (ids.blocked) warn(index, row.messageId, 'blocked_identifier');
    rows.push(row);
    indexes.push(index);
  }
  const outcomes = await write(rows);
  outcomes.forEach((outcome, i) => {
    if (!outcome.stored) warn(indexes[i]!, rows[i]!.messageId, 'duplicate');
    if (outcome.warning) warn(indexes[i]!, rows[i]!.messageId, outcome.warning);
  });
  warnings.sort((a, b) => a.index - b.index);
  return { stored: outcomes.filter((o) => o.stored).length, errors, warnings };
}

/** R20: a suppressed userId drops the message; a suppressed anonymousId or email is removed, then R7. */
type Suppressed = CleanIdentifiers & { dropped?: boolean };

function suppress(message: Message, ids: CleanIdentifiers, suppressed: Set<string>): Suppressed {
  const hit = (v: string | null) => v !== null && suppressed.has(v);
  if (hit(ids.userId) || hit(ids.previousId)) return { ...ids, dropped: true };
  if (!hit(ids.anonymousId) && !hit(ids.email)) return ids;
  const anonymousId = hit(ids.anonymousId) ? null : ids.anonymousId;
  const email = hit(ids.email) ? null : ids.email;
  const rejected = message.type === 'alias' ? ids.rejected : !ids.userId && !anonymousId;
  return { ...ids, anonymousId, email, rejected };
}
