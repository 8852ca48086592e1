// The failure table: which code, whether a retry can help, and how long to wait first.

import { PaperbotError } from '../../src/core/errors';
import { entrezError, PUBMED_RETRY } from '../../src/pubmed/errors';
import { createEutilsClient } from '../../src/pubmed/eutils';
import { parseRetryAfter, sourceError, transportError, type Failure } from '../../src/sources/errors';
import { retryHint as hintFor } from '../../src/sources/retry';

const eutilsError = (failure: Failure, message: string, options: { retryAfterSeconds?: number } = {}) =>
  sourceError('pubmed', failure, message, options);
const retryHint = (error: PaperbotError) => hintFor(error, PUBMED_RETRY);

describe('retryHint', () => {
  it('follows the table: a second after a 429, a short pause after a server or body failure, none after a refusal', () => {
    expect(retryHint(eutilsError('rate_limited', 'x'))).toEqual({ retryable: true, minDelayMs: 1000 });
    expect(retryHint(eutilsError('server_error', 'x'))).toEqual({ retryable: true, minDelayMs: 200 });
    expect(retryHint(eutilsError('connection', 'x'))).toEqual({ retryable: true, minDelayMs: 100 });
    expect(retryHint(eutilsError('bad_body', 'x'))).toEqual({ retryable: true, minDelayMs: 200 });
    expect(retryHint(eutilsError('timeout', 'x'))).toEqual({ retryable: true, minDelayMs: 0 });
    expect(retryHint(eutilsError('refused', 'x'))).toEqual({ retryable: false, minDelayMs: 0 });
    expect(retryHint(eutilsError('refused', 'x'))).toEqual({ retryable: false, minDelayMs: 0 });
  });

  it('lets Retry-After override the table', () => {
    expect(retryHint(eutilsError('rate_limited', 'x', { retryAfterSeconds: 3 }))).toEqual({
      retryable: true,
      minDelayMs: 3000,
    });
  });

  it('reads errors raised elsewhere by their code', () => {
    expect(retryHint(new PaperbotError('bad_response', 'truncated XML'))).toEqual({
      retryable: true,
      minDelayMs: 200,
    });
    expect(retryHint(new PaperbotError('internal', 'bug'))).toEqual({ retryable: false, minDelayMs: 0 });
  });

  it('gives every E-utilities error the pubmed source', () => {
    expect(entrezError('esearch', 'Invalid query').source).toBe('pubmed');
  });
});

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

describe('entrezError', () => {
  it('takes a query refusal as final and backend trouble as worth a retry', () => {
    const refusal = entrezError('esearch', 'Invalid query');
    expect([refusal.code, refusal.retryable]).toEqual(['upstream_error', false]);
    const busy = entrezError(
      'esearch',
      "Search Backend failed: Couldn't resolve #pmquerysrv-mz?dbaf=pubmed, the address table is empty.",
    );
    expect([busy.code, busy.retryable]).toEqual(['upstream_unavailable', true]);
  });

  it('keeps PubMed wording on one line', () => {
    expect(
      entrezError('esearch', "Search Backend failed: Exception:\n'retstart' cannot be larger than 9998.")
        .message,
    ).toBe("Search Backend failed: Exception: 'retstart' cannot be larger than 9998.");
  });
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

  it('answers an unresolvable host in one attempt', async () => {
    const client = createEutilsClient({
      baseUrl: 'http://eutils.paperbot-test.invalid/entrez/eutils',
      tool: 't',
      attemptTimeoutMs: 2000,
    });
    const failure = await client
      .esearch({ term: 'x', retstart: 0, retmax: 5, sort: 'relevance' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'upstream_unavailable', retryable: false });
  });

  it('passes a PaperbotError abort reason through unchanged', () => {
    const reason = new PaperbotError('timeout', 'deadline');
    expect(transportError('pubmed', 'efetch', reason, 'headers')).toBe(reason);
  });
});
