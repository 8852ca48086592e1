// The registry's controlled values this layer checks against: overall statuses and phases.
// Their meaning for users (labels, badges) is the core's concern.

import type { TrialStatus } from '../core/trial';

const ALL_STATUSES: readonly TrialStatus[] = [
  'ACTIVE_NOT_RECRUITING',
  'COMPLETED',
  'ENROLLING_BY_INVITATION',
  'NOT_YET_RECRUITING',
  'RECRUITING',
  'SUSPENDED',
  'TERMINATED',
  'WITHDRAWN',
  'AVAILABLE',
  'NO_LONGER_AVAILABLE',
  'TEMPORARILY_NOT_AVAILABLE',
  'APPROVED_FOR_MARKETING',
  'WITHHELD',
  'UNKNOWN',
];
const STATUS_SET: ReadonlySet<string> = new Set(ALL_STATUSES);

export function isTrialStatus(value: string): value is TrialStatus {
  return STATUS_SET.has(value);
}

/** designModule.phases values; "NA" means the study has no phases (devices, behavioural…), not "unknown". */
export const PHASES: readonly string[] = ['NA', 'EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4'];
const PHASE_SET: ReadonlySet<string> = new Set(PHASES);

export function isPhase(value: string): boolean {
  return PHASE_SET.has(value);
}
