// What is PubMed's own in failing: Entrez refusals that arrive with HTTP 200, and how long NCBI needs
// before a retry can help. The error type, transport failures and the retry loop are src/sources/'s.

import { sourceError, type SourceError } from '../sources/errors';
import type { RetryPolicy } from '../sources/retry';

/** `source` on every error raised for PubMed, so the core can name the service in its notices. */
export const PUBMED_SOURCE = 'pubmed';

/**
 * NCBI counts requests per rolling second, so after a 429 the next second is the earliest useful moment.
 * Server and body failures under load usually clear within a few hundred milliseconds.
 */
export const PUBMED_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 150,
  maxDelayMs: 4000,
  jitter: 'full',
  floorMs: { rate_limited: 1000, server_error: 200, connection: 100, bad_body: 200, busy: 300 },
};

/**
 * ESearch reports backend trouble and query mistakes through the same `ERROR` field ("Search Backend
 * failed: …" covers both). These phrases, seen in NCBI answers during outages, are worth a retry;
 * anything else is taken as a refusal of the query itself, whose words the core may quote to its author.
 */
const TRANSIENT_ENTREZ_ERROR =
  /temporarily unavailable|address table is empty|couldn'?t resolve|timed? ?out|try again|\b50[234]\b/i;

/** Longest refusal quoted to a person; Entrez's are one short sentence. */
const MAX_QUOTED = 200;

export function entrezError(utility: string, text: string): SourceError {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (TRANSIENT_ENTREZ_ERROR.test(clean))
    return sourceError(PUBMED_SOURCE, 'busy', clean || `${utility}: ERROR`);
  return sourceError(PUBMED_SOURCE, 'refused', clean || `${utility}: ERROR`, {
    ...(clean ? { quotable: clean.length > MAX_QUOTED ? `${clean.slice(0, MAX_QUOTED - 1)}…` : clean } : {}),
  });
}
