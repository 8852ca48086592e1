// What a trial card says before layout: status (label, mark, tone), phase, enrollment, dates, the detail
// line and the publications named. Record text is passed through the renderer's own `fit` (escape, cut).

import type { TrialCard } from '../reply';
import { enrollmentKind, type Trial, type TrialDate, type TrialStatus } from '../trial';
import { isPmid, pubmedUrl, trialResultsUrl } from './links';
import { MARKS, thousands, type Emoji, type Ink, type Tone } from './marks';
import { criteriaView, type CriteriaView } from './trial-eligibility';
import { designLabel, studyTypeLabel, trialLists } from './trial-protocol';

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

/** Statuses whose `whyStopped` is a warning above the title. */
export function stoppedEarly(trial: Trial): boolean {
  return Boolean(trial.whyStopped) && ['TERMINATED', 'WITHDRAWN', 'SUSPENDED'].includes(trial.status ?? '');
}

/** "Phase 2/3", "Phase early 1"; undefined for studies without phases. */
export function phaseLabel(trial: Trial): string | undefined {
  const list = trial.phases.filter((p) => p !== 'NA');
  if (list.length === 0) return undefined;
  return `Phase ${list.map((p) => p.replace(/^EARLY_PHASE/, 'early ').replace(/^PHASE/, '')).join('/')}`;
}

const ENROLLMENT_WORD = { actual: 'enrolled', planned: 'planned', unqualified: 'participants' } as const;

/** "1,062 enrolled", "650 planned", or "40 participants" when the record cannot tell a count from a plan. */
export function enrollmentLabel(trial: Pick<Trial, 'enrollment' | 'status'>): string | undefined {
  const e = trial.enrollment;
  return e ? `${thousands(e.count)} ${ENROLLMENT_WORD[enrollmentKind(trial)]}` : undefined;
}

type Fit = Ink['fit'];

export function dateLabel(d: TrialDate | undefined, fit: Fit): string | undefined {
  return d ? `${fit(d.date, 10)}${d.type === 'ESTIMATED' ? ' (est.)' : ''}` : undefined;
}

/** The line under the title: status, study type, phase, enrollment, sponsor. `status` draws the status its own way. */
export function trialFacts(trial: Trial, fit: Fit, status: (s: StatusWording) => string): string[] {
  const wording = trial.status ? trialStatus(trial.status) : undefined;
  return [
    trial.status ? (wording ? status(wording) : fit(trial.status, 60)) : undefined,
    studyTypeLabel(trial, fit),
    phaseLabel(trial),
    enrollmentLabel(trial),
    trial.leadSponsor ? fit(trial.leadSponsor, 100) : undefined,
  ].filter((x): x is string => Boolean(x));
}

/** The quieter line: design, conditions, dates, sites, and where the card came from (results are linked apart). */
export function trialDetails(card: TrialCard, fit: Fit, mark: (e: Emoji) => string): string[] {
  const t = card.trial;
  const start = dateLabel(t.startDate, fit);
  const primary = dateLabel(t.primaryCompletionDate, fit);
  return [
    designLabel(t, fit),
    t.conditions.length
      ? `Conditions: ${t.conditions
          .slice(0, 5)
          .map((c) => fit(c, 80))
          .join(', ')}`
      : undefined,
    start || primary ? `Start ${start ?? '?'} → primary completion ${primary ?? '?'}` : undefined,
    t.locationCount > 0 ? `${thousands(t.locationCount)} sites` : undefined,
    card.source === 'library' ? `${mark(MARKS.library)} local library` : undefined,
    card.stale ? `${mark(MARKS.cached)} cached copy` : undefined,
  ].filter((x): x is string => Boolean(x));
}

const ROLE_TAG: Record<string, string> = {
  RESULT: '(results)',
  BACKGROUND: '(background)',
  DERIVED: '(linked by PubMed)',
};

/** Said under the publications when any was linked automatically, so a review is not read as the trial's paper. */
export const DERIVED_NOTE =
  'Publications marked “linked by PubMed” were added automatically and may only cite the trial.';

/** The publications a card names (valid PMIDs, in the core's order: results first), each tagged by role. */
export function publicationRefs(card: TrialCard, max = 6): { pmid: string; url: string; tag?: string }[] {
  return card.publications
    .filter((p) => isPmid(p.pmid))
    .slice(0, max)
    .map((p) => {
      const tag = p.type ? ROLE_TAG[p.type] : undefined;
      return { pmid: p.pmid, url: pubmedUrl(p.pmid) as string, ...(tag ? { tag } : {}) };
    });
}

/** Everything a trial card says, written in a platform's ink; `status` draws the status (default: mark and label). */
export interface TrialView {
  /** Why a stopped study stopped (fitted), for a warning above the title. */
  stopped?: string;
  facts: string[];
  details: string[];
  lists: { heading: string; items: string[] }[];
  publications: { pmid: string; url: string; tag?: string }[];
  /** Why some publications may not be about the trial's results (DERIVED ones shown). */
  publicationsNote?: string;
  /** On an eligibility card: the criteria as written, in place of the full card's lists. */
  criteria?: CriteriaView;
  /** When the registry has posted results: the words and the results tab to link them to. */
  results?: { label: string; url: string };
}

export function trialView(card: TrialCard, ink: Ink, status?: (s: StatusWording) => string): TrialView {
  const t = card.trial;
  const publications = publicationRefs(card);
  const criteria = criteriaView(card);
  return {
    ...(stoppedEarly(t) ? { stopped: ink.fit(t.whyStopped ?? '', 500) } : {}),
    facts: trialFacts(t, ink.fit, status ?? ((s) => `${ink.mark(s.emoji)} ${s.label}`)),
    details: trialDetails(card, ink.fit, ink.mark),
    lists: criteria ? [] : trialLists(t, ink.fit),
    ...(criteria ? { criteria } : {}),
    publications,
    ...(publications.some((p) => p.tag === ROLE_TAG.DERIVED) ? { publicationsNote: DERIVED_NOTE } : {}),
    ...(t.hasResults ? { results: { label: 'Results posted', url: trialResultsUrl(t.nct) } } : {}),
  };
}
