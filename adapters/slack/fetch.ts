// The fetch Bolt and the Web API client use for response_url and Web API calls: undici's request() for the
// bodies Slack calls carry (JSON text, form fields), the platform fetch for anything else.

import { request, type Dispatcher } from 'undici';

/** Statuses whose Response may not carry a body (the Fetch standard's "null body status"). */
const NULL_BODY = new Set([101, 204, 205, 304]);

function urlOf(input: Parameters<typeof fetch>[0]): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return undefined; // A Request object: left to the platform fetch.
}

function textBody(body: RequestInit['body']): { text?: string; type?: string } | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { text: body };
  if (body instanceof URLSearchParams)
    return { text: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  return undefined;
}

/**
 * Why not the global fetch: it turns every string body into a web stream written chunk by chunk, and callers
 * that never read a response (Bolt's respond) keep its connection from being reused. A warm Slack answer spent
 * about a fifth of its CPU there. This one writes the body at once and always reads the response, which is
 * then handed back as a standard Response. Redirects are not followed: Slack's endpoints do not redirect, and
 * `redirect: 'error'` (the Web API client's setting) must fail on one.
 */
export const slackFetch: typeof fetch = async (input, init) => {
  const url = urlOf(input);
  const body = textBody(init?.body);
  if (url === undefined || body === undefined || (init?.redirect ?? 'follow') === 'manual')
    return fetch(input, init);
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
  if (body.type && headers['content-type'] === undefined) headers['content-type'] = body.type;
  const response = await request(url, {
    method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
    headers,
    ...(body.text !== undefined ? { body: body.text } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
  });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode >= 300 && response.statusCode < 400 && init?.redirect === 'error')
    throw new TypeError(`fetch failed: ${url} answered a redirect (${response.statusCode})`);
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
  }
  return new Response(NULL_BODY.has(response.statusCode) ? null : bytes, {
    status: response.statusCode,
    headers: responseHeaders,
  });
};
