// The status: and phase: words users type in trial commands, and the registry values each stands for.
// Shared by `trial <text>` and `trial search`, so one word means the same thing in both.

import type { TrialStatus } from './trial';

export const STATUS_ALIASES: Readonly<Record<string, TrialStatus[]>> = {
  recruiting: ['RECRUITING'],
  open: ['RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION'],
  'not-yet-recruiting': ['NOT_YET_RECRUITING'],
  active: ['ACTIVE_NOT_RECRUITING'],
  completed: ['COMPLETED'],
  terminated: ['TERMINATED'],
  withdrawn: ['WITHDRAWN'],
  suspended: ['SUSPENDED'],
};

export const PHASE_ALIASES: Readonly<Record<string, string[]>> = {
  '0': ['EARLY_PHASE1'],
  '1': ['PHASE1'],
  '2': ['PHASE2'],
  '3': ['PHASE3'],
  '4': ['PHASE4'],
  '1/2': ['PHASE1', 'PHASE2'],
  '2/3': ['PHASE2', 'PHASE3'],
};

export const PHASE_HINT = 'Use phase:1, phase:2, phase:3, phase:4, phase:1/2 or phase:2/3.';

/** "phase3", "3" → the registry's phases; undefined for a word that is no phase. */
export function phasesOf(word: string): string[] | undefined {
  return PHASE_ALIASES[word.toLowerCase().replace(/^phase/, '')];
}
