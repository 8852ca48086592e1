// The Slack Deliverer (src/core/deliverer.ts): posts a digest or any Reply into a channel on paperbot's own
// initiative, one attempt per call; retries, waits and scheduling are src/digest's.

import { webApi } from '@slack/bolt';
import type { Deliverer, DeliveryProblemKind, DeliveryResult } from '../../src/core/deliverer';
import type { Logger } from '../../src/core/logger';
import { renderReply } from './blocks';
import { renderDigest } from './blocks-digest';
import { slackErrorCode } from './errors';
import type { ClosableInstallationStore } from './installation-store';

/** Message metadata type carrying the idempotency key with each post (no extra scope needed). */
export const DIGEST_METADATA_TYPE = 'paperbot_digest';

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

export function createSlackDeliverer(deps: SlackDelivererDeps): Deliverer {
  async function tokenFor(team: string | undefined): Promise<string | undefined> {
    if (deps.botToken) return deps.botToken;
    if (!deps.installationStore || !team) return undefined;
    try {
      const installation = await deps.installationStore.fetchInstallation({
        teamId: team,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      return installation.bot?.token;
    } catch {
      return undefined;
    }
  }

  return {
    platform: 'slack',
    async deliver(target, message, options): Promise<DeliveryResult> {
      const token = await tokenFor(target.team);
      if (!token)
        return { ok: false, problem: 'not_found', detail: 'paperbot is not installed in that workspace' };
      if (options.signal?.aborted)
        return { ok: false, problem: 'failed', detail: 'cancelled before posting' };
      const rendered = message.digest ? renderDigest(message.digest, message) : renderReply(message);
      // One attempt: no client-side retries, 429 reported with its Retry-After for the scheduler to honour.
      const client = new webApi.WebClient(token, {
        ...deps.clientOptions,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      try {
        const result = await client.chat.postMessage({
          channel: target.channel,
          text: rendered.text,
          blocks: rendered.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: DIGEST_METADATA_TYPE, event_payload: { key: options.idempotencyKey } },
        });
        return { ok: true, ...(result.ts ? { messageId: result.ts } : {}) };
      } catch (error) {
        const refusal = deliveryRefusal(error);
        deps.logger.warn(
          { problem: refusal.problem, detail: refusal.detail, channel: target.channel },
          'slack: digest post refused',
        );
        return { ok: false, ...refusal };
      }
    },
  };
}
