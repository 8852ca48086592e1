// Where a Teams reply may go: an activity names its Bot Connector (serviceUrl), and paperbot posts the answer
// there with its credentials. Only the connector a signed token vouches for, or loopback in dev mode.

import type { TeamsConfig } from '../../src/config';

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Why replies to this activity must not be sent to its serviceUrl, or undefined when they may. `claims` is
 * the verified token's payload: the Bot Connector signs its own serviceurl into it, so a token captured in
 * one conversation cannot send paperbot's answers (and its app token) to a host of the sender's choosing.
 * An activity without a serviceUrl is answered in the HTTP response only (deliveryMode expectReplies).
 */
export function serviceUrlProblem(
  mode: TeamsConfig['mode'],
  serviceUrl: unknown,
  claims: Record<string, unknown> | undefined,
): string | undefined {
  if (serviceUrl === undefined) return undefined;
  const target = typeof serviceUrl === 'string' ? parse(serviceUrl) : undefined;
  if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:'))
    return 'serviceUrl is not an http(s) URL';
  if (mode === 'anonymous')
    return isLoopback(target) ? undefined : 'dev mode replies only to a loopback serviceUrl';
  const vouched = typeof claims?.serviceurl === 'string' ? parse(claims.serviceurl) : undefined;
  if (!vouched) return 'the token vouches for no serviceUrl';
  return vouched.origin === target.origin ? undefined : 'serviceUrl is not the one the token vouches for';
}
