import type { EventRow } from '../db/schema.ts';
import type { MessageType } from './messages/index.ts';
import { toEventRow, type Arrival } from './to-row.ts';
import { validateMessage, type ItemError } from './validate.ts';

export interface ItemWarning {
  index: number;
  messageId: string;
  code: 'duplicate';
  message: string;
}

export interface IngestOutcome {
  /** Items newly stored by this request. */
  stored: number;
  errors: ItemError[];
  warnings: ItemWarning[];
}

/** Stores rows and says, per row, whether it was new. */
export type WriteRows = (rows: EventRow[]) => Promise<boolean[]>;

/**
 * Validates and enriches each item on its own, then writes the valid ones together. Invalid
 * items are reported by index and never stop the valid ones (R3).
 */
export async function ingestItems(
  items: unknown[],
  arrival: Arrival,
  write: WriteRows,
  type?: MessageType,
): Promise<IngestOutcome> {
  const errors: ItemError[] = [];
  const rows: EventRow[] = [];
  const indexes: number[] = [];
  items.forEach((item, index) => {
    const validated = validateMessage(item, index, type);
    if (!validated.ok) return void errors.push(validated.error);
    rows.push(toEventRow(validated.message, arrival));
    indexes.push(index);
  });
  const stored = await write(rows);
  const warnings: ItemWarning[] = [];
  stored.forEach((isNew, i) => {
    if (!isNew) {
      warnings.push({
        index: indexes[i]!,
        messageId: rows[i]!.messageId,
        code: 'duplicate',
        message: 'this messageId was already stored; the copy was ignored',
      });
    }
  });
  return { stored: stored.filter(Boolean).length, errors, warnings };
}
