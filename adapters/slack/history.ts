// Crash reconciliation for Slack digests and watch notices: the idempotency keys of paperbot's own recent posts
// in a channel (conversations.history) or a thread (conversations.replies), read from their message metadata.

import { webApi } from '@slack/bolt';
import { slackErrorCode } from './errors';

/** Message metadata type carrying the idempotency key with each post (no extra scope needed to write it). */
export const DIGEST_METADATA_TYPE = 'paperbot_digest';

/**
 * Asked per page. Slack allows up to 999; apps distributed outside the Slack Marketplace get at most 15 a
 * page and one call a minute (Slack's May 2025 change), whatever we ask.
 */
const PAGE_SIZE = 200;
/** Pages read at most: a channel busier than that since the interrupted post cannot be checked. */
export const MAX_HISTORY_PAGES = 10;

/**
 * Answers that asking again later will not change: the channel cannot be checked here. missing_scope: the
 * workspace installed paperbot before the history scopes were added; not_in_channel: the digest went out via
 * chat:write.public; the rest: the channel or the token is gone.
 */
const CANNOT_CHECK = new Set([
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'team_not_found',
  'no_permission',
  'access_denied',
  'not_allowed_token_type',
  'team_access_not_granted',
  'ekm_access_denied',
  'enterprise_is_restricted',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

/** `cannotCheck` says why, for the log. */
export type HistoryAnswer = { keys: string[] } | { cannotCheck: string };

/** Slack's ts for an epoch-ms instant ("1492601400.000000"). */
export function slackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** What both conversations.history and conversations.replies say of a message, as far as keys go. */
interface KeyedMessage {
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: unknown };
}

function digestKey(message: KeyedMessage, botId: string): string | undefined {
  if (message.bot_id !== botId || message.metadata?.event_type !== DIGEST_METADATA_TYPE) return undefined;
  const key = record(message.metadata.event_payload)?.key;
  return typeof key === 'string' ? key : undefined;
}

/** A Slack refusal that will not fix itself, as its error code; undefined for anything worth asking again. */
export function cannotCheckCode(error: unknown): string | undefined {
  const code = slackErrorCode(error);
  return code !== undefined && CANNOT_CHECK.has(code) ? code : undefined;
}

/**
 * The keys of digests this bot posted in `channel` since `sinceMs`. Rate limits, 5xx answers and network
 * failures throw (the caller waits); permanent refusals and a history too long to read are `cannotCheck`.
 */
export async function ownDigestKeys(
  client: webApi.WebClient,
  o: { channel: string; sinceMs: number; botId: string; thread?: string },
): Promise<HistoryAnswer> {
  const keys: string[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
      const args = {
        channel: o.channel,
        oldest: slackTs(o.sinceMs),
        limit: PAGE_SIZE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      };
      // A thread's replies (watch notices) are not in the channel's history; conversations.replies lists them.
      const answer = o.thread
        ? await client.conversations.replies({ ...args, ts: o.thread })
        : await client.conversations.history(args);
      for (const message of answer.messages ?? []) {
        const key = digestKey(message, o.botId);
        if (key !== undefined) keys.push(key);
      }
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!answer.has_more || !cursor) return { keys };
    }
  } catch (error) {
    const code = cannotCheckCode(error);
    if (code !== undefined) return { cannotCheck: `Slack answered ${code}` };
    throw error;
  }
  return { cannotCheck: `more than ${MAX_HISTORY_PAGES} pages of messages` };
}
