/**
 * Rule R2 of conformance/identity.md: correct the event time for client clock skew.
 * Device clocks are often wrong by minutes or hours, but the gap between the device's
 * event time and its own send time is measured on one clock, so it survives the skew;
 * replaying that gap against our receive time gives the event time on the server clock.
 */
export interface ClockInput {
  timestamp?: string;
  originalTimestamp?: string;
  /** The item's sentAt, else the batch's. */
  sentAt?: string;
  receivedAt: Date;
}

export function correctTimestamp(input: ClockInput): Date {
  const sentAt = toMillis(input.sentAt);
  const deviceTime = toMillis(input.timestamp) ?? toMillis(input.originalTimestamp);
  if (sentAt !== null) {
    if (deviceTime === null) return new Date(input.receivedAt.getTime());
    return new Date(input.receivedAt.getTime() - (sentAt - deviceTime));
  }
  // No sentAt: server libraries and historical imports, whose timestamps are meant as given.
  return new Date(deviceTime ?? input.receivedAt.getTime());
}

// Validation upstream should reject bad strings; anything unparsable here is treated as absent.
function toMillis(value: string | undefined): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
