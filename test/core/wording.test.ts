// The CLI's exit code 3 reads a reply's words: every outage sentence the wording makes must be recognised,
// and nothing that merely says "not found" or "offline" may be.

import { PaperbotError } from '../../src/core/errors';
import {
  libraryFallbackNotice,
  notFound,
  sourceProblem,
  TRIALS_OFFLINE,
  unavailableSourceIn,
} from '../../src/core/wording';

const OUTAGE_CODES = [
  'rate_limited',
  'timeout',
  'upstream_unavailable',
  'bad_response',
  'upstream_error',
] as const;

it.each(['pubmed', 'clinicaltrials'])(
  'recognises every %s outage sentence, bare or in a notice',
  (source) => {
    const problems = [
      ...OUTAGE_CODES.map((code) => sourceProblem(new PaperbotError(code, 'ESearch said no', { source }))),
      sourceProblem(new Error('socket hang up'), source),
    ];
    for (const problem of problems) {
      expect(unavailableSourceIn(problem)).toBe(true);
      expect(unavailableSourceIn(libraryFallbackNotice(problem, 0))).toBe(true);
    }
  },
);

it('does not take "not found" or offline for an outage', () => {
  expect(unavailableSourceIn(notFound({ type: 'pmid', value: '99999999' }))).toBe(false);
  expect(unavailableSourceIn(libraryFallbackNotice(TRIALS_OFFLINE, 0))).toBe(false);
});

it('never tells an offline user to try again', () => {
  expect(libraryFallbackNotice(TRIALS_OFFLINE, 0)).not.toMatch(/try again/);
});
