// A Slack conversation: asking the core for each request (under the reply deadline, tracked for graceful stop)
// and answering in it: private answers through response_url, shares through chat.postMessage.

import type { RespondArguments, RespondFn, webApi } from '@slack/bolt';
import { within, type Clock } from '../../src/core/clock';
import { deliveryProblemCard } from '../../src/core/delivery-messages';
import type { Logger } from '../../src/core/logger';
import type { Assistant, Reply, Request } from '../../src/core/reply';
import { sharedItemOf, type ShareLedger } from '../../src/core/shares';
import { INTERNAL_ERROR } from '../../src/core/wording';
import { withReplyDeadline } from '../platform';
import { renderReply } from './blocks';
import type { SlackChart } from './blocks-map';
import { mapCardOf, uploadChart } from './chart-upload';
import { classifySlackError, withRetryAfter } from './errors';
import type { ReplyMemory } from './reply-memory';
import { createTurnScheduler } from './turns';

export interface Conversation {
  /**
   * The core's answer; never throws (a failure becomes an error card). Like deliver, it starts on a later
   * event-loop turn (turns.ts), so acks of requests still arriving go first; both are tracked for stop.
   * `now`: starts at once instead, for an ack that waits on it (the answer is the ack's work).
   */
  ask(request: Request, o?: { now?: boolean }): Promise<Reply>;
  /** The answer if it settles within `ms`, else undefined (the promise still resolves for a later delivery). */
  readyWithin(answer: Promise<Reply>, ms: number): Promise<Reply | undefined>;
  /** A private answer as a message of its own (an ack's body): rendered, and remembered for "Abstract". */
  privateMessage(reply: Reply): RespondArguments;
  deliver(reply: Reply, target: DeliveryTarget): Promise<void>;
  /**
   * Whether a new request may be taken: false once `maxPending` answers are owed. Acks outpace answers
   * (about 3,000 vs 550 a second here), so an unbounded backlog would grow memory without limit and answer
   * minutes late; past the bound the user is told at once to try again. Refusals are logged, rate-limited.
   */
  admit(): boolean;
  /** Whether admit() would refuse now (it alone counts and logs refusals). */
  full(): boolean;
  /** Resolves when every answer in flight has been delivered (or `ms` passed). */
  drain(ms: number): Promise<void>;
  memory: ReplyMemory;
}

export interface DeliveryTarget {
  respond?: RespondFn;
  client: webApi.WebClient;
  /** The workspace the request came from: a share is recorded under it, for the watcher's posts. */
  team?: string;
  channel?: { id: string; name?: string };
  /** 'replace': the message this answers (a "Searching…" ack, a result page) is replaced; 'add': a new one. */
  mode: 'replace' | 'add';
  /** Re-render under an existing key (a card expanded in place). */
  messageKey?: string;
}

export interface ConversationDeps {
  assistant: Assistant;
  clock: Clock;
  logger: Logger;
  memory: ReplyMemory;
  /** Longest a lookup may take before the user gets the core's timeout answer. */
  deadlineMs: number;
  /** Longest Retry-After worth waiting for while the user waits. */
  maxRetryAfterSeconds: number;
  /** Answers (lookups and deliveries) owed at most; beyond it admit() refuses. */
  maxPending: number;
  /** Where shares are remembered for the watcher; without it nothing is watched. */
  shares?: ShareLedger;
}

/** At most one "refusing requests" warning per this interval, with the count refused since the last. */
const BUSY_LOG_INTERVAL_MS = 10_000;

/** A share with no channel to post to (Slack did not say where it came from). */
class NoChannel extends Error {}

function hasButtons(reply: Reply): boolean {
  return reply.cards.some((c) => (c.type === 'article' || c.type === 'trial') && c.actions.length > 0);
}

export function createConversation(deps: ConversationDeps): Conversation {
  const inflight = new Set<Promise<unknown>>();
  const turns = createTurnScheduler();
  const log = deps.logger;
  let refused = 0;
  let lastBusyLog = Number.NEGATIVE_INFINITY;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };

  async function ask(request: Request): Promise<Reply> {
    try {
      return await withReplyDeadline(deps.clock, deps.deadlineMs, (signal) =>
        deps.assistant.handle(request, { signal }),
      );
    } catch (error) {
      log.error({ err: error }, 'assistant failed');
      return { cards: [{ type: 'error', message: INTERNAL_ERROR }], visibility: 'private' };
    }
  }

  /** Whether Slack took the message. */
  async function respond(target: DeliveryTarget, message: RespondArguments): Promise<boolean> {
    if (!target.respond) return false;
    try {
      await target.respond(message);
      return true;
    } catch (error) {
      // An expired response_url (404 after 30 minutes or 5 uses) leaves no way to reach the user.
      log.warn({ err: error }, 'slack response_url refused the answer');
      return false;
    }
  }

  function privateMessage(reply: Reply, messageKey?: string, chart?: SlackChart): RespondArguments {
    const key = messageKey ?? (hasButtons(reply) ? deps.memory.remember(reply) : undefined);
    const message = renderReply(reply, { ...(key ? { messageKey: key } : {}), ...(chart ? { chart } : {}) });
    return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
  }

  async function answerPrivately(reply: Reply, target: DeliveryTarget): Promise<void> {
    const replace = { replace_original: target.mode === 'replace' };
    const map = mapCardOf(reply);
    if (!map) {
      await respond(target, { ...privateMessage(reply, target.messageKey), ...replace });
      return;
    }
    const chart = await uploadChart(target.client, map, log);
    const sent = await respond(target, { ...privateMessage(reply, target.messageKey, chart), ...replace });
    // Slack refuses an image block whose file it cannot show yet: the counts still go out, saying so.
    if (!sent && 'fileId' in chart)
      await respond(target, {
        ...privateMessage(reply, target.messageKey, { problem: 'failed' }),
        ...replace,
      });
  }

  /** Records the post for the watcher; a failure costs the watch, never the share itself. */
  async function remember(reply: Reply, target: DeliveryTarget, channel: string, ts: string): Promise<void> {
    const shared = sharedItemOf(reply);
    if (!deps.shares || !shared || !reply.sharedBy) return;
    try {
      await deps.shares.record({
        ...shared,
        platform: 'slack',
        ...(target.team ? { team: target.team } : {}),
        channel,
        messageId: ts,
        by: reply.sharedBy,
        at: deps.clock.now(),
      });
    } catch (error) {
      log.warn({ err: error, channel }, 'slack: share posted but not recorded; it will not be watched');
    }
  }

  async function share(reply: Reply, target: DeliveryTarget): Promise<void> {
    const message = renderReply(reply);
    try {
      if (!target.channel) throw new NoChannel();
      const channel = target.channel.id;
      if (reply.file) {
        // files.uploadV2: getUploadURLExternal → the bytes to its URL → completeUploadExternal into the channel.
        const file = reply.file;
        await withRetryAfter(
          () =>
            target.client.filesUploadV2({
              channel_id: channel,
              content: file.text,
              filename: file.filename,
              title: file.title,
              ...(reply.notice ? { initial_comment: reply.notice } : {}),
            }),
          { clock: deps.clock, maxWaitSeconds: deps.maxRetryAfterSeconds, attempts: 3 },
        );
        if (target.mode === 'replace') await respond(target, { delete_original: true });
        return;
      }
      const posted = await withRetryAfter(
        () =>
          target.client.chat.postMessage({
            channel,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
            unfurl_media: false,
          }),
        { clock: deps.clock, maxWaitSeconds: deps.maxRetryAfterSeconds, attempts: 3 },
      );
      if (typeof posted.ts === 'string') await remember(reply, target, channel, posted.ts);
      // The "Searching…" note has done its job once the card is in the channel.
      if (target.mode === 'replace') await respond(target, { delete_original: true });
    } catch (error) {
      const problem =
        error instanceof NoChannel ? { code: 'not_in_channel' as const } : classifySlackError(error);
      (problem.code === 'not_authorized' ? log.error : log.warn).call(
        log,
        { slackError: problem.slackError, code: problem.code, channel: target.channel?.id },
        'slack share failed',
      );
      const card = deliveryProblemCard({
        ...problem,
        platform: 'slack',
        ...(target.channel?.name && !/^(directmessage|privategroup)$/.test(target.channel.name)
          ? { channelName: target.channel.name }
          : {}),
      });
      await answerPrivately({ cards: [card], visibility: 'private' }, { ...target, messageKey: undefined });
    }
  }

  const full = (): boolean => inflight.size >= deps.maxPending;

  function admit(): boolean {
    if (!full()) return true;
    refused += 1;
    const now = deps.clock.now();
    if (now - lastBusyLog >= BUSY_LOG_INTERVAL_MS) {
      log.warn({ refused, pending: inflight.size }, 'slack: too many answers owed; asking users to retry');
      lastBusyLog = now;
      refused = 0;
    }
    return false;
  }

  return {
    admit,
    full,
    ask: (request, o) => track(o?.now ? ask(request) : turns.run(() => ask(request))),
    readyWithin: async (answer, ms) => (ms > 0 ? within(deps.clock, answer, ms, undefined) : undefined),
    privateMessage: (reply) => privateMessage(reply),
    deliver: (reply, target) =>
      track(
        turns.run(() =>
          reply.visibility === 'channel' ? share(reply, target) : answerPrivately(reply, target),
        ),
      ),
    async drain(ms) {
      await within(deps.clock, Promise.allSettled([...inflight]), ms, undefined);
    },
    memory: deps.memory,
  };
}
