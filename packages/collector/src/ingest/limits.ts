/** Segment's limits, so clients written for Segment never hit a surprise here. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

/** UTF-8 length without allocating; only called when the UTF-16 length could exceed a limit. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function exceeds(text: string, limit: number): boolean {
  return text.length * 3 > limit && (text.length > limit || utf8Length(text) > limit);
}
