// PubMed's failure table: which code, whether a retry can help, and how long to wait first; Entrez refusals.

import { PaperbotError } from '../../src/core/errors';
import { entrezError, PUBMED_RETRY } from '../../src/pubmed/errors';
import { createEutilsClient } from '../../src/pubmed/eutils';
import { sourceError, type Failure } from '../../src/sources/errors';
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

describe('the E-utilities client on the kit', () => {
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
});
