// The Slack Deliverer (src/core/deliverer.ts): posts a digest or any Reply into a channel, or a private notice to
// one person, on paperbot's own initiative, one attempt per call; retries, waits and scheduling are src/digest's.

import { webApi } from '@slack/bolt';
import type { Deliverer, DeliveryProblemKind, DeliveryResult } from '../../src/core/deliverer';
import { isPaperbotError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { renderReply } from './blocks';
import { renderDigest } from './blocks-digest';
import { slackErrorCode } from './errors';
import { cannotCheckCode, DIGEST_METADATA_TYPE, ownDigestKeys } from './history';
import type { ClosableInstallationStore } from './installation-store';
import { context } from './kit';

export { DIGEST_METADATA_TYPE } from './history';

/** What recentKeys needs on top of chat:write (manifest.yml and the install flow ask for them). */
export const HISTORY_SCOPES = ['channels:history', 'groups:history'];

export interface SlackDelivererDeps {
  clientOptions: webApi.WebClientOptions;
  /** Token mode: the one bot token. */
  botToken?: string;
  /** OAuth mode: each workspace's installation. */
  installationStore?: ClosableInstallationStore;
  logger: Logger;
}

const PROBLEMS: Record<string, DeliveryProblemKind> = {
  channel_not_found: 'not_found',
  team_not_found: 'not_found',
  not_in_channel: 'forbidden',
  restricted_action: 'forbidden',
  restricted_action_read_only_channel: 'forbidden',
  restricted_action_thread_only_channel: 'forbidden',
  restricted_action_non_threadable_channel: 'forbidden',
  ekm_access_denied: 'forbidden',
  invalid_auth: 'forbidden',
  not_authed: 'forbidden',
  account_inactive: 'forbidden',
  token_revoked: 'forbidden',
  token_expired: 'forbidden',
  missing_scope: 'forbidden',
  is_archived: 'archived',
  ratelimited: 'rate_limited',
  // Private notices (chat.postMessage to a user id, i.e. the app's Messages tab):
  user_not_found: 'not_found',
  user_disabled: 'not_found',
  cannot_dm_bot: 'forbidden',
  messages_tab_disabled: 'forbidden',
};

export function deliveryRefusal(error: unknown): {
  problem: DeliveryProblemKind;
  retryAfterSeconds?: number;
  detail: string;
} {
  if (error instanceof webApi.WebAPIRateLimitedError)
    return { problem: 'rate_limited', retryAfterSeconds: error.retryAfter, detail: 'Slack answered 429' };
  const code = slackErrorCode(error);
  if (code !== undefined) return { problem: PROBLEMS[code] ?? 'failed', detail: `Slack answered ${code}` };
  return { problem: 'failed', detail: error instanceof Error ? error.message : 'Slack unreachable' };
}

type TokenLookup = { token: string } | { missing: string } | { unavailable: unknown };

const NOT_INSTALLED = 'paperbot is not installed in that workspace';

export function createSlackDeliverer(deps: SlackDelivererDeps): Deliverer {
  /** Bot ids by token, from auth.test: whose messages in a channel's history are ours. */
  const botIds = new Map<string, string>();

  /** "Not installed" is permanent; an installation store that cannot answer is not. */
  async function tokenFor(team: string | undefined): Promise<TokenLookup> {
    if (deps.botToken) return { token: deps.botToken };
    if (!deps.installationStore || !team) return { missing: NOT_INSTALLED };
    try {
      const installation = await deps.installationStore.fetchInstallation({
        teamId: team,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      return installation.bot?.token ? { token: installation.bot.token } : { missing: NOT_INSTALLED };
    } catch (error) {
      return isPaperbotError(error) && error.code === 'not_found'
        ? { missing: NOT_INSTALLED }
        : { unavailable: error };
    }
  }

  // One attempt: no client-side retries, 429 reported with its Retry-After for the scheduler to honour.
  const clientFor = (token: string): webApi.WebClient =>
    new webApi.WebClient(token, {
      ...deps.clientOptions,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });

  async function post(
    lookup: TokenLookup,
    args: webApi.ChatPostMessageArguments,
    what: string,
  ): Promise<DeliveryResult> {
    if ('missing' in lookup) return { ok: false, problem: 'not_found', detail: lookup.missing };
    if ('unavailable' in lookup) {
      deps.logger.warn({ err: lookup.unavailable }, 'slack: installations unavailable');
      return { ok: false, problem: 'failed', detail: 'Slack installations unavailable' };
    }
    try {
      const result = await clientFor(lookup.token).chat.postMessage(args);
      return { ok: true, ...(result.ts ? { messageId: result.ts } : {}) };
    } catch (error) {
      const refusal = deliveryRefusal(error);
      deps.logger.warn(
        { problem: refusal.problem, detail: refusal.detail, channel: args.channel },
        `slack: ${what} refused`,
      );
      return { ok: false, ...refusal };
    }
  }

  async function botIdFor(client: webApi.WebClient, token: string): Promise<string | undefined> {
    const known = botIds.get(token);
    if (known) return known;
    const identity = await client.auth.test();
    if (identity.bot_id) botIds.set(token, identity.bot_id);
    return identity.bot_id;
  }

  return {
    platform: 'slack',
    async deliver(target, message, options): Promise<DeliveryResult> {
      const lookup = await tokenFor(target.team);
      if (options.signal?.aborted)
        return { ok: false, problem: 'failed', detail: 'cancelled before posting' };
      const rendered = message.digest ? renderDigest(message.digest, message) : renderReply(message);
      return post(
        lookup,
        {
          channel: target.channel,
          ...(target.thread ? { thread_ts: target.thread } : {}),
          text: rendered.text,
          blocks: rendered.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: DIGEST_METADATA_TYPE, event_payload: { key: options.idempotencyKey } },
        },
        target.thread ? 'thread reply' : 'digest post',
      );
    },

    async update(target, messageId, message): Promise<DeliveryResult> {
      const lookup = await tokenFor(target.team);
      if ('missing' in lookup) return { ok: false, problem: 'not_found', detail: lookup.missing };
      if ('unavailable' in lookup)
        return { ok: false, problem: 'failed', detail: 'Slack installations unavailable' };
      const rendered = renderReply(message);
      try {
        await clientFor(lookup.token).chat.update({
          channel: target.channel,
          ts: messageId,
          text: rendered.text,
          blocks: rendered.blocks,
        });
        return { ok: true, messageId };
      } catch (error) {
        const refusal = deliveryRefusal(error);
        deps.logger.warn(
          { problem: refusal.problem, detail: refusal.detail, channel: target.channel },
          'slack: update refused',
        );
        return { ok: false, ...refusal };
      }
    },

    async notifyUser(user, message, options = {}): Promise<DeliveryResult> {
      const rendered = renderReply(message);
      // Slack shows <#C…> as the channel's name to a reader who may see it (else "private channel").
      const channel = options.about?.channel;
      const about = channel && /^[CG][A-Z0-9]+$/.test(channel) ? [context([`Channel: <#${channel}>`])] : [];
      // A user id as the channel: the message lands in the app's Messages tab (chat:write is enough).
      return post(
        await tokenFor(user.team),
        {
          channel: user.id,
          text: rendered.text,
          blocks: [...rendered.blocks, ...about],
          unfurl_links: false,
        },
        'private notice',
      );
    },

    async recentKeys(target, sinceMs): Promise<string[] | undefined> {
      const lookup = await tokenFor(target.team);
      if ('unavailable' in lookup) throw lookup.unavailable;
      const cannotCheck = (detail: string): undefined => {
        deps.logger.warn(
          { channel: target.channel, detail },
          'slack: cannot look for digest posts in the channel',
        );
        return undefined;
      };
      if ('missing' in lookup) return cannotCheck(lookup.missing);
      const client = clientFor(lookup.token);
      let botId: string | undefined;
      try {
        botId = await botIdFor(client, lookup.token);
      } catch (error) {
        const code = cannotCheckCode(error);
        if (code === undefined) throw error;
        return cannotCheck(`Slack answered ${code}`);
      }
      if (!botId) return cannotCheck('the token is not a bot token');
      const answer = await ownDigestKeys(client, {
        channel: target.channel,
        sinceMs,
        botId,
        ...(target.thread ? { thread: target.thread } : {}),
      });
      return 'keys' in answer ? answer.keys : cannotCheck(answer.cannotCheck);
    },
  };
}
