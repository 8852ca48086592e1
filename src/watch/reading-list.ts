// The reading list of a channel: what was shared in a window, articles grouped by evidence level (strongest
// first) with their current status as the watcher last saw it, then trials with status and phase. Pure.

import type { Evidence } from '../core/article';
import { EVIDENCE_BADGES, RETRACTED_BADGE } from '../core/present/badges';
import { TRIAL_STATUS } from '../core/present/trials';
import type { Action, HelpCard } from '../core/reply';
import type { ArticleStatus, TrialWatchStatus } from '../core/shares';
import type { WatchedShare } from './types';

/** What one card section holds at most: Slack refuses a section over 3,000 characters. */
const SECTION_CHARS = 2400;
const LINE_CHARS = 220;

/** Lines cut to a length and a section's room; what did not fit is counted in a last line. */
export function fitLines(lines: readonly string[], more: (n: number) => string): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const cut = line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
    if (used + cut.length + 1 > SECTION_CHARS) {
      out.push(more(lines.length - i));
      break;
    }
    out.push(cut);
    used += cut.length + 1;
  }
  return out;
}

const MORE = (n: number): string => `… and ${n} more: list … as html gives the whole list`;

/** Strongest evidence first; the order README's badge table gives. */
export const EVIDENCE_ORDER: readonly Evidence[] = [
  'guideline',
  'meta-analysis',
  'systematic-review',
  'rct',
  'clinical-trial',
  'review',
  'case-report',
  'editorial',
  'letter',
  'comment',
  'other',
];

const NOTICE_WARNINGS: Record<string, string> = {
  'expression-of-concern': 'Expression of concern',
  erratum: 'Erratum',
  update: 'Updated',
};

/** Every warning the card would show, in the card's order: retraction first. */
export function articleWarnings(status: ArticleStatus): string[] {
  const out: string[] = [];
  if (status.retracted) out.push(`${RETRACTED_BADGE.emoji.char} RETRACTED`);
  for (const n of status.notices) {
    const label = NOTICE_WARNINGS[n.type];
    if (label && !out.includes(label)) out.push(label);
  }
  return out;
}

export function trialFacts(status: TrialWatchStatus, phases: readonly string[] | undefined): string[] {
  const label = status.status ? (TRIAL_STATUS[status.status]?.label ?? status.status) : 'Status not stated';
  const phase =
    phases && phases.length > 0 ? phases.map((p) => p.replace(/^PHASE/, 'Phase ')).join('/') : undefined;
  return [label, ...(phase ? [phase] : []), ...(status.hasResults ? ['Results posted'] : [])];
}

/** Unique items, the latest share of each (a paper shared twice is listed once). */
export function latestPerItem(shares: readonly WatchedShare[]): WatchedShare[] {
  const byItem = new Map<string, WatchedShare>();
  for (const s of shares) {
    const key = `${s.item.kind}:${s.item.id}`;
    const seen = byItem.get(key);
    if (!seen || seen.at < s.at) byItem.set(key, s);
  }
  return [...byItem.values()].sort((a, b) => a.at - b.at);
}

export function groupByEvidence(
  shares: readonly WatchedShare[],
): { evidence: Evidence; shares: WatchedShare[] }[] {
  const articles = shares.filter((s) => s.item.kind === 'article');
  return EVIDENCE_ORDER.map((evidence) => ({
    evidence,
    shares: articles.filter((s) => (s.facts?.evidence ?? 'other') === evidence),
  })).filter((g) => g.shares.length > 0);
}

function articleLine(s: WatchedShare): string {
  const warnings = s.status.kind === 'article' ? articleWarnings(s.status) : [];
  const where = [s.facts?.journal, s.facts?.year].filter(Boolean).join(' ');
  return [
    ...(warnings.length ? [`[${warnings.join(' · ')}]`] : []),
    `${s.title}${where ? ` — ${where}` : ''} · PMID ${s.item.id}`,
  ].join(' ');
}

function trialLine(s: WatchedShare): string {
  const facts = s.status.kind === 'trial' ? trialFacts(s.status, s.facts?.phases) : [];
  return `${s.item.id} — ${s.title} · ${facts.join(' · ')}`;
}

/** The export buttons, labelled for people; each one types `list <window> as <format>` (DESIGN.md). */
const EXPORT_BUTTONS: readonly { format: string; label: string }[] = [
  { format: 'html', label: 'Handout (HTML)' },
  { format: 'ris', label: 'RIS' },
  { format: 'bibtex', label: 'BibTeX' },
  { format: 'csv', label: 'CSV' },
];

/** `windowText` is the window as the user typed it: a button exports the same window the card lists. */
export function exportActions(windowText: string): Action[] {
  const window = windowText.trim().replace(/\s+/g, ' ');
  return EXPORT_BUTTONS.map(({ format, label }) => ({
    id: `export-${format}`,
    label,
    command: `list ${window ? `${window} ` : ''}as ${format}`,
  }));
}

export function readingListCard(
  shares: readonly WatchedShare[],
  windowLabel: string,
  windowText = '',
): HelpCard {
  const items = latestPerItem(shares);
  const sections = groupByEvidence(items).map((g) => ({
    heading: EVIDENCE_BADGES[g.evidence]?.label ?? 'Other articles',
    lines: fitLines(g.shares.map(articleLine), MORE),
  }));
  const trials = items.filter((s) => s.item.kind === 'trial');
  if (trials.length > 0)
    sections.push({ heading: 'Clinical trials', lines: fitLines(trials.map(trialLine), MORE) });
  if (sections.length === 0)
    sections.push({
      heading: 'Nothing shared',
      lines: [`Nothing was shared in this channel ${windowLabel}.`],
    });
  const title = `Reading list — shared in this channel ${windowLabel}`;
  // Nothing shared, nothing to export: a button would only answer that the list is empty.
  return items.length > 0
    ? { type: 'help', title, sections, actions: exportActions(windowText) }
    : { type: 'help', title, sections };
}
