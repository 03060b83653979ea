// Shared shapes: the Segment message the tracker sends, and the browser globals TypeScript lacks.

/** Free-form properties or traits. */
export type Props = Record<string, unknown>;

/** One Segment Tracking Spec message as sent in `{ batch: [...] }`. */
export interface Message {
  type: string;
  messageId: string;
  anonymousId: string;
  userId?: string | null;
  /** A Date until serialised (JSON turns it into ISO 8601). */
  timestamp: string | Date;
  sentAt?: string | Date;
  context: Props;
  event?: string;
  name?: string;
  properties?: Props;
  traits?: Props;
  previousId?: string;
  groupId?: string;
}

/** The window.vista stub the snippet defines: it queues `arguments` until the script loads. */
export type VistaStub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; l?: number };

/** navigator.userAgentData (User-Agent Client Hints), Chromium only. */
export interface UAData {
  toJSON(): Props;
  getHighEntropyValues(hints: string[]): Promise<Props>;
}

declare global {
  interface Window {
    vista?: VistaStub;
  }
  interface Navigator {
    userAgentData?: UAData;
    globalPrivacyControl?: boolean;
  }
}
