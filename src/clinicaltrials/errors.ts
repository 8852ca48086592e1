// ClinicalTrials.gov error helpers and NCT id rules shared by the client, parser and service.
// Error codes and their retry defaults belong to src/core/errors.ts; wording for people belongs to the core.

import { PaperbotError, type ErrorCode, type PaperbotErrorOptions } from '../core/errors';

export const CTGOV_SOURCE = 'clinicaltrials';

const NCT_PATTERN = /^NCT\d{8}$/i;

export function ctgovError(
  code: ErrorCode,
  message: string,
  options: Omit<PaperbotErrorOptions, 'source'> = {},
): PaperbotError {
  return new PaperbotError(code, message, { ...options, source: CTGOV_SOURCE });
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
