import { z } from 'zod';
import { aliasMessage } from './alias.ts';
import { groupMessage } from './group.ts';
import { identifyMessage } from './identify.ts';
import { pageMessage } from './page.ts';
import { screenMessage } from './screen.ts';
import { trackMessage } from './track.ts';

export const messageSchemas = {
  track: trackMessage,
  page: pageMessage,
  screen: screenMessage,
  identify: identifyMessage,
  group: groupMessage,
  alias: aliasMessage,
} as const;

export type MessageType = keyof typeof messageSchemas;
export const messageTypes = Object.keys(messageSchemas) as MessageType[];

export type TrackMessage = z.output<typeof trackMessage>;
export type PageMessage = z.output<typeof pageMessage>;
export type ScreenMessage = z.output<typeof screenMessage>;
export type IdentifyMessage = z.output<typeof identifyMessage>;
export type GroupMessage = z.output<typeof groupMessage>;
export type AliasMessage = z.output<typeof aliasMessage>;
export type Message =
  | TrackMessage
  | PageMessage
  | ScreenMessage
  | IdentifyMessage
  | GroupMessage
  | AliasMessage;

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && value in messageSchemas;
}
