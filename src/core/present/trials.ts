// What a trial card says before layout: status (label, mark, tone), phase, enrollment, dates, the detail
// line and the publications named. Record text is passed through the renderer's own `fit` (escape, cut).

import type { TrialCard } from '../reply';
import { enrollmentKind, type Trial, type TrialDate } from '../trial';
import { isPmid, pubmedUrl, trialResultsUrl } from './links';
import { MARKS, thousands, type Emoji, type Ink } from './marks';
import { nearbyLines, siteList } from './trial-sites';
import { trialStatus, type StatusWording } from './trial-status';
import { criteriaView, type CriteriaView } from './trial-eligibility';
import { designLabel, studyTypeLabel, trialLists } from './trial-protocol';

export { TRIAL_STATUS, trialStatus, type StatusWording } from './trial-status';

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

/** "Interventions: Osimertinib, Placebo": a result card's names only; the full card lists the arms. */
function interventionsLine(trial: Trial, fit: Fit, max = 4): string | undefined {
  const names = [...new Set(trial.interventions.map((i) => i.name))];
  if (names.length === 0) return undefined;
  const shown = names.slice(0, max).map((n) => fit(n, 80));
  return `Interventions: ${shown.join(', ')}${names.length > max ? `, and ${names.length - max} more` : ''}`;
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
    card.detail === 'summary' ? interventionsLine(t, fit) : undefined,
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
  /** The sites line(s): nearest site with distance and status, how many recruit within the radius. */
  nearby: string[];
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
  const sites = criteria ? undefined : siteList(card, ink.fit);
  return {
    ...(stoppedEarly(t) ? { stopped: ink.fit(t.whyStopped ?? '', 500) } : {}),
    facts: trialFacts(t, ink.fit, status ?? ((s) => `${ink.mark(s.emoji)} ${s.label}`)),
    details: trialDetails(card, ink.fit, ink.mark),
    nearby: criteria ? [] : nearbyLines(card, ink),
    lists: criteria ? [] : [...trialLists(t, ink.fit), ...(sites ? [sites] : [])],
    ...(criteria ? { criteria } : {}),
    publications,
    ...(publications.some((p) => p.tag === ROLE_TAG.DERIVED) ? { publicationsNote: DERIVED_NOTE } : {}),
    ...(t.hasResults ? { results: { label: 'Results posted', url: trialResultsUrl(t.nct) } } : {}),
  };
}
