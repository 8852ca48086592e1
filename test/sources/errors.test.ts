// The kit's error classification: Retry-After in both forms, and what undici throws, by phase.

import { PaperbotError } from '../../src/core/errors';
import { parseRetryAfter, transportError } from '../../src/sources/errors';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('2', now)).toBe(2);
    expect(parseRetryAfter(['5'], now)).toBe(5);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:03 GMT', now)).toBe(3);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

test('Retry-After as seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  expect(parseRetryAfter('30', now)).toBe(30);
  expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5);
  expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(parseRetryAfter(undefined, now)).toBeUndefined();
});

describe('transportError', () => {
  const withCode = (code: string, name = 'Error'): Error => Object.assign(new Error(code), { code, name });

  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'headers', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'body', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'headers', 'timeout'],
    ['ECONNREFUSED', 'headers', 'upstream_unavailable'],
    ['ECONNRESET', 'headers', 'upstream_unavailable'],
    ['UND_ERR_SOCKET', 'headers', 'upstream_unavailable'],
    ['UND_ERR_SOCKET', 'body', 'bad_response'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'body', 'bad_response'],
  ] as const)('%s during the %s → %s', (code, phase, expected) => {
    const e = transportError('pubmed', 'efetch', withCode(code), phase);
    expect(e.code).toBe(expected);
    expect(e.retryable).toBe(true);
  });

  it('takes "no such host" as final, so an offline machine falls back to the library at once', () => {
    const e = transportError('pubmed', 'esearch', withCode('ENOTFOUND'), 'headers');
    expect([e.code, e.retryable]).toEqual(['upstream_unavailable', false]);
    expect(transportError('pubmed', 'esearch', withCode('EAI_AGAIN'), 'headers').retryable).toBe(true);
  });

  it('passes a PaperbotError abort reason through unchanged', () => {
    const reason = new PaperbotError('timeout', 'deadline');
    expect(transportError('pubmed', 'efetch', reason, 'headers')).toBe(reason);
  });
});
