// The words, marks and tones of a study's overall status (and a site's own status, which uses the same codes).
// Kept apart from trials.ts so the sites' wording can use it without a cycle.

import type { TrialStatus } from '../trial';
import type { Emoji, Tone } from './marks';

export interface StatusWording {
  label: string;
  emoji: Emoji;
  tone: Tone;
}

const open = (label: string): StatusWording => ({
  label,
  emoji: { name: 'large_green_circle', char: '🟢' },
  tone: 'good',
});
const idle = (label: string): StatusWording => ({
  label,
  emoji: { name: 'white_circle', char: '⚪' },
  tone: 'quiet',
});
const paused = (label: string): StatusWording => ({
  label,
  emoji: { name: 'double_vertical_bar', char: '⏸️' },
  tone: 'danger',
});
const stopped = (label: string): StatusWording => ({
  label,
  emoji: { name: 'red_circle', char: '🔴' },
  tone: 'danger',
});
const done = (label: string): StatusWording => ({
  label,
  emoji: { name: 'white_check_mark', char: '✅' },
  tone: 'done',
});

export const TRIAL_STATUS: Record<TrialStatus, StatusWording> = {
  RECRUITING: open('Recruiting'),
  NOT_YET_RECRUITING: { ...idle('Not yet recruiting'), tone: 'good' },
  ENROLLING_BY_INVITATION: open('Enrolling by invitation'),
  ACTIVE_NOT_RECRUITING: {
    label: 'Active, not recruiting',
    emoji: { name: 'large_blue_circle', char: '🔵' },
    tone: 'active',
  },
  COMPLETED: done('Completed'),
  SUSPENDED: paused('Suspended'),
  TERMINATED: stopped('Terminated'),
  WITHDRAWN: stopped('Withdrawn'),
  AVAILABLE: { ...open('Expanded access available'), tone: 'quiet' },
  NO_LONGER_AVAILABLE: idle('Expanded access no longer available'),
  TEMPORARILY_NOT_AVAILABLE: { ...paused('Expanded access temporarily unavailable'), tone: 'quiet' },
  APPROVED_FOR_MARKETING: { ...done('Approved for marketing'), tone: 'quiet' },
  WITHHELD: idle('Withheld'),
  UNKNOWN: { label: 'Status unknown', emoji: { name: 'grey_question', char: '❔' }, tone: 'quiet' },
};

/** A status the registry added after this table: its code as the label, unmarked. */
export function trialStatus(status: string): StatusWording | undefined {
  return (TRIAL_STATUS as Record<string, StatusWording | undefined>)[status];
}
