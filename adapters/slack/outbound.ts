// Which hosts the Slack adapter may send to: Slack's response_url host (hooks.slack.com) and the Web API's
// (SLACK_API_URL: slack.com, or a proxy or test fake when overridden). A signed payload names its own
// response_url, so without this a request could make paperbot post a full card anywhere.

import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/core/logger';

/** Where Slack's response_url points (https://hooks.slack.com/commands/…, /actions/…). */
export const SLACK_HOOKS_HOST = 'hooks.slack.com';
/** Where files.getUploadURLExternal sends file bytes (https://files.slack.com/upload/v1/…). */
export const SLACK_FILES_HOST = 'files.slack.com';

export function allowedSlackHosts(apiUrl: string): ReadonlySet<string> {
  return new Set([SLACK_HOOKS_HOST, SLACK_FILES_HOST, new URL(apiUrl).hostname.toLowerCase()]);
}

/** What Bolt and the Web API client call. */
export type FetchLike = NonNullable<webApi.WebClientOptions['fetch']>;

/** The host `input` would be sent to, or undefined when it is not an http(s) URL. */
function hostOf(input: string | URL): string | undefined {
  try {
    const url = new URL(input);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export class OutboundHostRefused extends Error {
  override name = 'OutboundHostRefused';
}

/**
 * `inner` for the allowed hosts only. A refused call rejects like a failed request (callers already log and
 * carry on: an answer that cannot be delivered), and is logged here with the host it would have reached.
 */
export function allowedHostsOnly(inner: FetchLike, allowed: ReadonlySet<string>, logger: Logger): FetchLike {
  return (input, init) => {
    const host = hostOf(input);
    if (host !== undefined && allowed.has(host)) return inner(input, init);
    logger.warn({ host: host ?? '(not an http URL)' }, 'slack: outbound call to a host not allowed; refused');
    return Promise.reject(new OutboundHostRefused(`${host ?? 'that URL'} is not an allowed Slack host`));
  };
}
