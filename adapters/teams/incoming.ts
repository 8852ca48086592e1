// What a Teams message activity asks: the command text (bot mention stripped, a leading "paper" word
// dropped, a card button's command taken as is), whether it was addressed to the bot, and who and where.

import type { Request } from '../../src/core/reply';
import { atTags, replaceAtTags, spaceOutTags } from './markup';

/** The fields of an activity this module reads; the SDK's Activity and a raw recorded JSON both fit. */
export interface IncomingActivity {
  type?: string;
  id?: string;
  text?: string;
  value?: unknown;
  entities?: readonly { type: string; [key: string]: unknown }[];
  recipient?: { id?: string; name?: string };
  from?: { id?: string; name?: string; aadObjectId?: string };
  conversation?: { id?: string; conversationType?: string; isGroup?: boolean; tenantId?: string };
  channelData?: unknown;
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface Incoming {
  /** What goes to the core as the Request's text. */
  text: string;
  /** False for group and channel messages that do not mention the bot: those are not for us. */
  addressed: boolean;
  /** The text came from a card button (Action.Submit data), not from typing. */
  fromButton: boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function channelData(a: IncomingActivity): { tenant?: string; team?: string; channel?: string } {
  const data = record(a.channelData);
  return {
    ...(str(record(data?.tenant)?.id) ? { tenant: str(record(data?.tenant)?.id) } : {}),
    ...(str(record(data?.team)?.id) ? { team: str(record(data?.team)?.id) } : {}),
    ...((str(record(data?.channel)?.id) ?? str(data?.teamsChannelId))
      ? { channel: str(record(data?.channel)?.id) ?? str(data?.teamsChannelId) }
      : {}),
  };
}

export function conversationKind(a: IncomingActivity): ConversationKind {
  const declared = a.conversation?.conversationType;
  if (declared === 'personal' || declared === 'groupChat' || declared === 'channel') return declared;
  // Only channel posts are threads ("19:…@thread.tacv2;messageid=…"); group chats are "19:…@thread.v2".
  if (channelData(a).channel || /;messageid=/i.test(a.conversation?.id ?? '')) return 'channel';
  return a.conversation?.isGroup ? 'groupChat' : 'personal';
}

/**
 * The conversation a reply or a digest goes to: a channel thread's id ("19:…@thread.tacv2;messageid=17…")
 * without its thread part, so posts land in the channel; chat ids are used as they are.
 */
export function conversationKey(a: IncomingActivity): string | undefined {
  const id = a.conversation?.id;
  return id ? id.replace(/;messageid=[^;]*$/i, '') : undefined;
}

function mentionEntities(a: IncomingActivity): { text?: string; id?: string; name?: string }[] {
  return (a.entities ?? [])
    .filter((e) => e.type.toLowerCase() === 'mention')
    .map((e) => {
      const mentioned = record(e.mentioned);
      return { text: str(e.text), id: str(mentioned?.id), name: str(mentioned?.name) };
    });
}

export function mentionsBot(a: IncomingActivity): boolean {
  const bot = a.recipient?.id;
  return bot !== undefined && mentionEntities(a).some((m) => m.id === bot);
}

/** An <at>…</at> tag around the bot's name, for clients that send the tag without its entity. */
function namesBot(a: IncomingActivity): boolean {
  const name = a.recipient?.name?.trim();
  if (!name) return false;
  return atTags(a.text ?? '').some((tag) => tag.inner.trim() === name);
}

/** The formatting tags Teams wraps message text in; they read as spaces. */
const FORMATTING_TAGS: ReadonlySet<string> = new Set(['p', 'div', 'span', 'br', 'b', 'i', 'em', 'strong']);

const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
};

/**
 * The text without the bot's <at>…</at> mention (wherever it sits), other mentions reduced to their
 * names, the few HTML entities and tags Teams puts into message text decoded, and no byte-order mark.
 */
export function stripMentions(a: IncomingActivity): string {
  let text = (a.text ?? '').replace(/[\uFEFF\u200B]/g, '');
  const bot = a.recipient?.id;
  const botNames = new Set<string>();
  if (a.recipient?.name) botNames.add(a.recipient.name);
  for (const m of mentionEntities(a)) {
    if (m.id !== bot) continue;
    if (m.text) text = text.split(m.text).join(' ');
    if (m.name) botNames.add(m.name);
  }
  text = replaceAtTags(text, (inner) => (botNames.has(inner.trim()) ? ' ' : inner));
  text = spaceOutTags(text, FORMATTING_TAGS);
  text = text.replace(/&(?:nbsp|amp|lt|gt|quot|#39|apos);/gi, (e) => ENTITIES[e.toLowerCase()] ?? e);
  return text.replace(/\s+/g, ' ').trim();
}

/** "paper pembrolizumab" and "/paper pembrolizumab" mean "pembrolizumab"; "paper" alone means help. */
function dropPaperWord(text: string): string {
  return text.replace(/^\/?paper(?:\s+|$)/i, '').replace(/^\/(?=(?:trials?|help|digest)\b)/i, '');
}

/** A card button's command (Action.Submit data arrives as the message's `value`). */
export function buttonCommand(value: unknown): string | undefined {
  const command = record(value)?.command;
  return typeof command === 'string' ? command : undefined;
}

export function readIncoming(a: IncomingActivity): Incoming {
  const kind = conversationKind(a);
  // Teams delivers a card's Action.Submit only to the bot that sent the card; one without our command
  // (an old or foreign card) still deserves an answer, and the empty text gets the help card.
  if (record(a.value)) return { text: buttonCommand(a.value) ?? '', addressed: true, fromButton: true };
  const mentioned = mentionsBot(a) || namesBot(a);
  return {
    text: dropPaperWord(stripMentions(a)),
    addressed: kind === 'personal' || mentioned,
    fromButton: false,
  };
}

export function clientTimeZone(a: IncomingActivity): string | undefined {
  const info = (a.entities ?? []).find((e) => e.type === 'clientInfo');
  const tz = str(info?.timezone);
  return tz && /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(tz) ? tz : undefined;
}

/** The core Request: the Teams user id (what a mention needs), the tenant as `team`, the conversation key. */
export function coreRequest(a: IncomingActivity, text: string): Request {
  const data = channelData(a);
  const tenant = data.tenant ?? a.conversation?.tenantId;
  const channel = conversationKey(a);
  const timeZone = clientTimeZone(a);
  return {
    text,
    user: { id: a.from?.id ?? 'unknown', ...(a.from?.name ? { name: a.from.name } : {}) },
    place: {
      platform: 'teams',
      ...(tenant ? { team: tenant } : {}),
      ...(channel ? { channel } : {}),
      ...(timeZone ? { timeZone } : {}),
    },
  };
}
