// The Teams Deliverer: posts a digest (or any Reply) proactively where paperbot was added, or a private notice
// into a person's chat with the bot, one attempt per call; retries and scheduling are src/digest's.

import type { ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import type { Clock } from '../../src/core/clock';
import type {
  Deliverer,
  DeliveryMessage,
  DeliveryProblemKind,
  DeliveryResult,
} from '../../src/core/deliverer';
import type { Logger } from '../../src/core/logger';
import { renderDelivery } from './cards-digest';
import { connectorRefusal, describeFailure, sendMessage, updateMessage } from './outgoing';
import { personalKey, type ReferenceStore } from './references';

export interface TeamsDelivererDeps {
  adapter: CloudAdapter;
  /** The bot's identity for outbound calls (app.ts createTeamsApp().identity). */
  identity: JwtPayload;
  references: ReferenceStore;
  clock: Clock;
  logger: Logger;
}

function problemFor(status: number | undefined): DeliveryProblemKind {
  switch (status) {
    case 404:
      return 'not_found';
    case 401:
    case 403:
      return 'forbidden';
    case 429:
      return 'rate_limited';
    default:
      return 'failed';
  }
}

export function createTeamsDeliverer(deps: TeamsDelivererDeps): Deliverer {
  type Lookup = { reference: ConversationReference } | { result: DeliveryResult };

  async function lookUp(key: string, absent: string): Promise<Lookup> {
    try {
      const reference = await deps.references.get(key);
      return reference ? { reference } : { result: { ok: false, problem: 'not_found', detail: absent } };
    } catch (error) {
      deps.logger.warn({ err: error }, 'teams: conversation references unavailable');
      return { result: { ok: false, problem: 'failed', detail: 'conversation references unavailable' } };
    }
  }

  /**
   * In a channel, a post's reply chain is the conversation "<channel>;messageid=<post id>": a message sent
   * there lands in the thread. Chats have no threads; there the reply is a new message.
   */
  function inThread(reference: ConversationReference, thread: string | undefined): ConversationReference {
    if (!thread || reference.conversation.conversationType !== 'channel') return reference;
    return {
      ...reference,
      conversation: { ...reference.conversation, id: `${reference.conversation.id};messageid=${thread}` },
    };
  }

  /**
   * One proactive call through continueConversation: a new post, a reply in `thread`, or (with `update`) a
   * rewrite of the bot's message of that id. A refusal becomes the port's problem.
   */
  async function post(
    reference: ConversationReference,
    message: DeliveryMessage,
    o: { thread?: string; update?: string } = {},
  ): Promise<DeliveryResult> {
    // A personal chat has no channel to share into; a digest entry carries no Share button anyway.
    const personal = reference.conversation.conversationType === 'personal';
    const rendered = renderDelivery(message, personal ? { omit: new Set(['share']) } : {});
    let messageId: string | undefined;
    let failure: unknown;
    try {
      await deps.adapter.continueConversation(
        deps.identity,
        inThread(reference, o.thread),
        async (context) => {
          // Caught here: the adapter would otherwise hand the error to the turn-error handler and move on.
          try {
            if (o.update) {
              await updateMessage(context, rendered, o.update);
              messageId = o.update;
            } else messageId = await sendMessage(context, rendered, { newPost: !o.thread });
          } catch (error) {
            failure = error;
          }
        },
      );
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) return { ok: true, ...(messageId ? { messageId } : {}) };
    const refusal = connectorRefusal(failure);
    const problem = problemFor(refusal.status);
    deps.logger.warn({ ...describeFailure(failure), problem }, 'teams: proactive post refused');
    return {
      ok: false,
      problem,
      ...(refusal.retryAfterSeconds !== undefined ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
      detail: refusal.status
        ? `Bot Connector answered HTTP ${refusal.status}${refusal.code ? ` ${refusal.code}` : ''}`
        : 'Bot Connector unreachable',
    };
  }

  return {
    platform: 'teams',
    async deliver(target, message, options): Promise<DeliveryResult> {
      const key = target.channel;
      const found = await lookUp(key, 'no conversation reference (paperbot not added there, or removed)');
      if ('result' in found) return found.result;
      if (options.signal?.aborted)
        return { ok: false, problem: 'failed', detail: 'cancelled before posting' };
      const result = await post(found.reference, message, target.thread ? { thread: target.thread } : {});
      if (!result.ok) return result;
      try {
        await deps.references.recordSent(key, options.idempotencyKey, deps.clock.now());
      } catch (error) {
        // The post is out; without the record a crash-retry may repeat it (at least once, never lost).
        deps.logger.warn({ err: error }, 'teams: could not record the sent digest key');
      }
      return result;
    },
    // Thread replies are recorded under their channel's key too, so one list answers for both.
    recentKeys: (target, sinceMs) => deps.references.sentSince(target.channel, sinceMs),
    async update(target, messageId, message): Promise<DeliveryResult> {
      const found = await lookUp(
        target.channel,
        'no conversation reference (paperbot not added there, or removed)',
      );
      return 'result' in found ? found.result : post(found.reference, message, { update: messageId });
    },
    // Only where the person has a chat with the bot (kept when it was installed for them or they wrote to it):
    // starting one needs their tenant's roster, which a channel the bot was removed from no longer gives.
    async notifyUser(user, message): Promise<DeliveryResult> {
      const found = await lookUp(personalKey(user.id), 'no personal chat with paperbot for that person');
      return 'result' in found ? found.result : post(found.reference, message);
    },
  };
}
