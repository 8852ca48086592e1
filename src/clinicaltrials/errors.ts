// What is ClinicalTrials.gov's own in failing: its source name, its retry pacing, and the NCT id rules
// shared by the client, parser and service. The error type and the retry loop are src/sources/'s.

import { sourceError, type Failure, type SourceError, type SourceErrorOptions } from '../sources/errors';
import type { RetryPolicy } from '../sources/retry';

export const CTGOV_SOURCE = 'clinicaltrials';

/** ClinicalTrials.gov publishes no limits; equal jitter, so no retry comes straight back. */
export const CTGOV_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  jitter: 'equal',
  floorMs: {},
};

const NCT_PATTERN = /^NCT\d{8}$/i;

export function ctgovError(failure: Failure, message: string, options: SourceErrorOptions = {}): SourceError {
  return sourceError(CTGOV_SOURCE, failure, message, options);
}

export function isNctId(value: string): boolean {
  return NCT_PATTERN.test(value);
}

/**
 * "nct02576665 " → "NCT02576665". Anything else is refused before a request is made, so a typo
 * never costs a round trip or a slot in the shared rate budget.
 */
export function normaliseNctId(value: string): string {
  const trimmed = value.trim();
  if (!NCT_PATTERN.test(trimmed)) {
    throw ctgovError(
      'bad_input',
      `not an NCT id (expected NCT followed by 8 digits): ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return trimmed.toUpperCase();
}
