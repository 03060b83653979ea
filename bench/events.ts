import { message, newArrival, newDevice, newOrder, prng, type Json, type Kind, type Random, type Sender } from './messages.ts';

/**
 * The load test's request pool: visits from ad campaigns, search, social and newsletters,
 * landing with utm tags, browsing, logging in (identify with an email) and buying (cart,
 * checkout, Order Completed with products). A quarter of visits are returning browsers (same
 * anonymousId, still logged in), a few are known people on a new device, who log in again and
 * so link a new anonymousId to their userId. Seeded, so every run sends the same shapes.
 *
 * Each message id holds TOKEN; the load generator swaps it for a per-request counter so no
 * request repeats an id (a duplicate would be dropped and make the stored count lie).
 */
export const TOKEN = '@@';

/** A request body with TOKEN in it, kept split so filling in the counter is one join. */
export type Template = readonly string[];

export function fill(template: Template, counter: number): string {
  return template.join(String(counter));
}

export interface Pool {
  /** `{batch, sentAt}` bodies of `perBatch` messages each. */
  batches: Template[];
  /** The same messages one per body, with the single-message path each belongs on. */
  singles: Array<{ path: string; template: Template }>;
}

/** A person in the pool: the userId they log in with, if they ever do. */
interface Visit { sender: Sender; persona?: string; step: number; order?: Json; orderStep: number }

const ORDER_FLOW: Kind[] = ['cart', 'checkout', 'order'];

function startVisit(r: Random, past: Visit[]): Visit {
  const roll = r();
  if (roll < 0.25 && past.length > 0) {
    const before = past[Math.floor(r() * past.length)]!;
    return { sender: { ...before.sender, arrival: newArrival(r) }, persona: before.persona, step: 0, orderStep: 0 };
  }
  const known = past.filter((v) => v.persona);
  if (roll < 0.3 && known.length > 0) {
    const person = known[Math.floor(r() * known.length)]!;
    return { sender: { device: newDevice(r), arrival: newArrival(r) }, persona: person.persona, step: 0, orderStep: 0 };
  }
  const persona = r() < 0.3 ? `user_${Math.floor(r() * 5e6)}` : undefined;
  return { sender: { device: newDevice(r), arrival: newArrival(r) }, persona, step: 0, orderStep: 0 };
}

/** What the visit does next: land, log in, buy (cart, checkout, order) or browse. */
function nextKind(r: Random, v: Visit): Kind {
  if (v.step === 0) return 'page';
  if (v.order) return ORDER_FLOW[v.orderStep]!;
  const roll = r();
  if (v.persona && !v.sender.userId && roll < 0.12) return 'identify';
  if (v.sender.userId && roll < 0.06) {
    v.order = newOrder(r);
    v.orderStep = 0;
    return 'cart';
  }
  return roll < 0.6 ? 'page' : 'browse';
}

/** How the traffic is shaped: concurrent visits, and the share of messages that arrive late. */
export interface TrafficShape {
  /** Visits in progress at once: each body mixes messages of many of them, as on a busy site. */
  live: number;
  /** Messages sent from an offline queue, 1 to 10 minutes after they happened (R2 keeps their time). */
  lateShare: number;
}

/**
 * A site at ten thousand events a second has thousands of visits in progress, each sending a
 * message every few seconds as its person clicks: a browser's messages arrive in the order they
 * happened, a few ms after it, except those flushed late from an offline queue.
 */
export const REALISTIC: TrafficShape = { live: 3000, lateShare: 0.03 };

/** Device time minus send time of one message: a few ms, or minutes for a late one. */
function queueDelayMs(r: Random, shape: TrafficShape): number {
  return r() < shape.lateShare ? 60_000 + Math.floor(r() * 540_000) : Math.floor(r() * 50);
}

/**
 * `count` batch bodies. Every body has the same sentAt, so each message's timestamp says how long
 * it waited before that send; R2 replays that wait against the receive time.
 */
export function generatePool(count: number, perBatch: number, runTag: string, seed = 20261126, shape: TrafficShape = REALISTIC): Pool {
  const r = prng(seed);
  const now = Date.now();
  const sentAt = new Date(now).toISOString();
  const batches: Template[] = [];
  const singles: Pool['singles'] = [];
  const live: Visit[] = [];
  const past: Visit[] = [];
  for (let b = 0; b < count; b++) {
    const items: Json[] = [];
    for (let i = 0; i < perBatch; i++) {
      // Visits end and new ones begin, so ids and campaigns keep changing across bodies.
      if (live.length < shape.live || r() < 0.08) live.push(startVisit(r, past));
      const slot = Math.floor(r() * live.length);
      const visit = live[slot]!;
      const kind = nextKind(r, visit);
      const at = new Date(now - queueDelayMs(r, shape)).toISOString();
      const msg = message(r, visit.sender, kind, visit.step++, `${runTag}-${TOKEN}-${i}`, at, visit.order);
      if (kind === 'identify') visit.sender = { ...visit.sender, userId: visit.persona };
      if (visit.order && ++visit.orderStep === ORDER_FLOW.length) visit.order = undefined;
      if (visit.step > 12 && !visit.order) {
        live.splice(slot, 1);
        past.push(visit);
        if (past.length > 2000) past.shift();
      }
      items.push(msg);
      singles.push({ path: `/v1/${String(msg.type)}`, template: JSON.stringify({ ...msg, sentAt }).split(TOKEN) });
    }
    batches.push(JSON.stringify({ batch: items, sentAt }).split(TOKEN));
  }
  return { batches, singles };
}
