// The evidence badge of an article card, one row per evidence level: what it says and how it is marked.
// Typed by Evidence, so a new level does not compile until it has its badge (or says it has none).

import type { Evidence } from '../article';
import type { Emoji, Tone } from './marks';

export interface Badge {
  /** "Randomized controlled trial". */
  label: string;
  /** Where room is short (the terminal's bracketed tag): "RCT"; else the label. */
  short: string;
  emoji: Emoji;
  tone: Tone;
}

const badge = (label: string, emoji: Emoji, short = label): Badge => ({ label, short, emoji, tone: 'plain' });

/** `undefined`: no badge (a record with no evidence type worth naming). */
export const EVIDENCE_BADGES: Record<Evidence, Badge | undefined> = {
  guideline: badge('Guideline', { name: 'blue_book', char: '📘' }),
  'meta-analysis': badge('Meta-analysis', { name: 'bar_chart', char: '📊' }),
  'systematic-review': badge('Systematic review', { name: 'mag', char: '🔍' }),
  rct: badge('Randomized controlled trial', { name: 'dart', char: '🎯' }, 'RCT'),
  'clinical-trial': badge('Clinical trial', { name: 'test_tube', char: '🧪' }),
  review: badge('Review', { name: 'books', char: '📚' }),
  'case-report': badge('Case report', { name: 'bust_in_silhouette', char: '👤' }),
  editorial: badge('Editorial', { name: 'memo', char: '📝' }),
  letter: badge('Letter', { name: 'envelope', char: '✉️' }),
  comment: badge('Comment', { name: 'speech_balloon', char: '💬' }),
  other: undefined,
};

/** Shown instead of any evidence badge: a retracted trial is not evidence of anything. */
export const RETRACTED_BADGE: Badge = {
  label: 'Retracted',
  short: 'Retracted',
  emoji: { name: 'no_entry', char: '⛔' },
  tone: 'danger',
};

/** The card's badge: Retracted always wins, else its evidence level's (README's badge table). */
export function evidenceBadge(card: { evidence: Evidence; retracted: boolean }): Badge | undefined {
  return card.retracted ? RETRACTED_BADGE : EVIDENCE_BADGES[card.evidence];
}
