// Slack Web API failures → the core's DeliveryProblem codes, and the bounded Retry-After wait.
// The words users read come from src/core/delivery-messages.ts; nothing here talks to people.

import { webApi } from '@slack/bolt';
import type { Clock } from '../../src/core/clock';
import type { DeliveryProblem, DeliveryProblemCode } from '../../src/core/delivery-messages';
import type { Logger } from '../../src/core/logger';

const BY_SLACK_ERROR: Record<string, DeliveryProblemCode> = {
  not_in_channel: 'not_in_channel',
  channel_not_found: 'not_in_channel',
  is_archived: 'archived',
  restricted_action: 'not_allowed',
  restricted_action_read_only_channel: 'not_allowed',
  restricted_action_thread_only_channel: 'not_allowed',
  restricted_action_non_threadable_channel: 'not_allowed',
  ekm_access_denied: 'not_allowed',
  team_access_not_granted: 'not_allowed',
  ratelimited: 'rate_limited',
  rate_limited: 'rate_limited',
  invalid_auth: 'not_authorized',
  not_authed: 'not_authorized',
  account_inactive: 'not_authorized',
  token_revoked: 'not_authorized',
  token_expired: 'not_authorized',
  missing_scope: 'not_authorized',
  not_allowed_token_type: 'not_authorized',
  no_permission: 'not_authorized',
  msg_too_long: 'rejected',
  msg_blocks_too_long: 'rejected',
  invalid_blocks: 'rejected',
  invalid_blocks_format: 'rejected',
  invalid_arguments: 'rejected',
  no_text: 'rejected',
  too_many_attachments: 'rejected',
  fatal_error: 'unreachable',
  internal_error: 'unreachable',
  service_unavailable: 'unreachable',
  request_timeout: 'unreachable',
};

export interface ClassifiedSlackError extends DeliveryProblem {
  /** Slack's own error string ("not_in_channel"), for logs. */
  slackError?: string;
}

/** Slack's error string when the Web API answered ok:false. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError && typeof error.data.error === 'string'
    ? error.data.error
    : undefined;
}

export function classifySlackError(error: unknown): ClassifiedSlackError {
  if (error instanceof webApi.WebAPIRateLimitedError)
    return { code: 'rate_limited', retryAfterSeconds: error.retryAfter, slackError: 'ratelimited' };
  const slackError = slackErrorCode(error);
  if (slackError !== undefined) return { code: BY_SLACK_ERROR[slackError] ?? 'rejected', slackError };
  return { code: 'unreachable' };
}

export interface RateLimitPolicy {
  clock: Clock;
  /** Longest Retry-After worth waiting for inside one user interaction; longer ones go back to the user. */
  maxWaitSeconds: number;
  /** Attempts in all, the first included. */
  attempts: number;
  signal?: AbortSignal;
}

/**
 * Runs a Web API call, honouring Slack's Retry-After: the client is built with rejectRateLimitedCalls, so
 * a 429 arrives here as WebAPIRateLimitedError and we wait on our clock (bounded), instead of the client
 * pausing every call of the workspace for as long as Slack says.
 */
export async function withRetryAfter<T>(call: () => Promise<T>, policy: RateLimitPolicy): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const limited = error instanceof webApi.WebAPIRateLimitedError;
      if (!limited || attempt >= policy.attempts || error.retryAfter > policy.maxWaitSeconds) throw error;
      await policy.clock.sleep(Math.max(0, error.retryAfter) * 1000, policy.signal);
    }
  }
}

/**
 * A call nobody is waiting on (a Home tab, an unfurl): a short Retry-After is honoured, anything else is
 * logged as `what` and dropped, since there is no one to tell.
 */
export async function unattended(
  call: () => Promise<unknown>,
  deps: { clock: Clock; logger: Logger },
  what: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  try {
    await withRetryAfter(call, { clock: deps.clock, maxWaitSeconds: 30, attempts: 3 });
  } catch (error) {
    const problem = classifySlackError(error);
    deps.logger.warn({ slackError: problem.slackError, code: problem.code, ...fields }, what);
  }
}
