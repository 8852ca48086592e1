// Adaptive Card elements for the cards that are not articles: trials, citations, help and errors.
// Registry, citation and user text goes into TextRuns like PubMed's; the labels are the adapter's chrome.

import type { CitationCard, ErrorCard, HelpCard, TrialCard } from '../../src/core/reply';
import type { Trial, TrialDate } from '../../src/core/trial';
import {
  actionSet,
  fit,
  linkRun,
  openUrl,
  rich,
  run,
  safeUrl,
  type CardElement,
  type TextRun,
} from './adaptive';
import { commandActions } from './actions';
import { pubmedUrl } from './cards-article';
import { plainRuns } from './runs';

const STATUS: Record<string, string> = {
  RECRUITING: '🟢 Recruiting',
  NOT_YET_RECRUITING: '⚪ Not yet recruiting',
  ENROLLING_BY_INVITATION: '🟢 Enrolling by invitation',
  ACTIVE_NOT_RECRUITING: '🔵 Active, not recruiting',
  COMPLETED: '✅ Completed',
  SUSPENDED: '⏸️ Suspended',
  TERMINATED: '🔴 Terminated',
  WITHDRAWN: '🔴 Withdrawn',
  AVAILABLE: '🟢 Expanded access available',
  NO_LONGER_AVAILABLE: '⚪ Expanded access no longer available',
  TEMPORARILY_NOT_AVAILABLE: '⏸️ Expanded access temporarily unavailable',
  APPROVED_FOR_MARKETING: '✅ Approved for marketing',
  WITHHELD: '⚪ Withheld',
  UNKNOWN: '❔ Status unknown',
};

function phases(trial: Trial): string | undefined {
  const list = trial.phases.filter((p) => p !== 'NA');
  if (list.length === 0) return undefined;
  return `Phase ${list.map((p) => p.replace(/^EARLY_PHASE/, 'early ').replace(/^PHASE/, '')).join('/')}`;
}

function date(d: TrialDate | undefined): string | undefined {
  return d ? `${fit(d.date, 10)}${d.type === 'ESTIMATED' ? ' (est.)' : ''}` : undefined;
}

const subtle = { isSubtle: true, size: 'Small' as const };

function bulletList(label: string, lines: string[], max: number): CardElement[] {
  if (lines.length === 0) return [];
  return [
    rich([run(label, { weight: 'Bolder' })], { spacing: 'Small' }),
    ...lines.map((l) => rich(plainRuns(`• ${l}`, max), { spacing: 'None' })),
  ];
}

export function trialElements(card: TrialCard, summaryMax: number, compact = false): CardElement[] {
  const t = card.trial;
  const url = safeUrl(
    card.links.clinicalTrials ?? `https://clinicaltrials.gov/study/${encodeURIComponent(t.nct)}`,
  );
  const items: CardElement[] = [];
  if (t.whyStopped && ['TERMINATED', 'WITHDRAWN', 'SUSPENDED'].includes(t.status ?? ''))
    items.push(
      rich([
        run('⚠️ Stopped: ', { weight: 'Bolder', color: 'Warning' }),
        ...plainRuns(t.whyStopped, 500, { color: 'Warning' }),
      ]),
    );
  const title = `${fit(t.nct, 20)} — ${t.acronym ? `${t.acronym}: ` : ''}${t.briefTitle}`;
  items.push(
    rich(
      plainRuns(title, 400, {
        size: 'Medium',
        weight: 'Bolder',
        ...(url ? { selectAction: openUrl('ClinicalTrials.gov', url) } : {}),
      }),
    ),
  );
  const facts = [
    t.status ? (STATUS[t.status] ?? t.status) : undefined,
    phases(t),
    t.enrollment
      ? `${t.enrollment.count.toLocaleString('en-US')} ${t.enrollment.type === 'ESTIMATED' ? 'planned' : 'enrolled'}`
      : undefined,
    t.leadSponsor ? fit(t.leadSponsor, 100) : undefined,
  ].filter((x): x is string => Boolean(x));
  if (facts.length)
    items.push(rich(plainRuns(facts.join(' · '), 400, { isSubtle: true }), { spacing: 'Small' }));
  const detail = [
    t.conditions.length
      ? `Conditions: ${t.conditions
          .slice(0, 5)
          .map((c) => fit(c, 80))
          .join(', ')}`
      : undefined,
    [date(t.startDate), date(t.primaryCompletionDate)].some(Boolean)
      ? `Start ${date(t.startDate) ?? '?'} → primary completion ${date(t.primaryCompletionDate) ?? '?'}`
      : undefined,
    t.locationCount > 0 ? `${t.locationCount.toLocaleString('en-US')} sites` : undefined,
    t.hasResults ? 'Results posted' : undefined,
    card.source === 'library' ? '🗄️ local library' : undefined,
    card.stale ? '⌛ cached copy' : undefined,
  ].filter((x): x is string => Boolean(x));
  if (detail.length) items.push(rich(plainRuns(detail.join('  ·  '), 800, subtle), { spacing: 'Small' }));
  if (card.detail === 'full' && !compact) {
    if (t.briefSummary && summaryMax > 0) items.push(rich(plainRuns(t.briefSummary, summaryMax)));
    items.push(
      ...bulletList(
        'Interventions',
        t.interventions.slice(0, 6).map((i) => fit(i.name, 150)),
        160,
      ),
    );
    items.push(
      ...bulletList(
        'Primary outcomes',
        t.primaryOutcomes.slice(0, 3).map((o) => fit(o.measure, 300)),
        310,
      ),
    );
  }
  const pubs = card.publications.filter((p) => pubmedUrl(p.pmid)).slice(0, 6);
  if (pubs.length && !compact) {
    const runs: TextRun[] = [run('Publications: ', subtle)];
    pubs.forEach((p, i) => {
      if (i > 0) runs.push(run(', ', subtle));
      runs.push(linkRun(`PMID ${p.pmid}`, pubmedUrl(p.pmid), subtle));
      if (p.type === 'RESULT') runs.push(run(' (results)', subtle));
    });
    items.push(rich(runs, { spacing: 'Small' }));
  }
  const commands = compact ? [] : commandActions(card.actions);
  if (commands.length) items.push(actionSet(commands));
  if (url)
    items.push(actionSet([openUrl('ClinicalTrials.gov', url)], commands.length ? { spacing: 'Small' } : {}));
  return items;
}

const FORMAT_LABELS: Record<string, string> = {
  ama: 'AMA',
  vancouver: 'Vancouver',
  apa: 'APA',
  bibtex: 'BibTeX',
  ris: 'RIS',
};

/** The citation in monospace, one block per line (BibTeX and RIS are line-oriented), ready to copy. */
export function citationElements(card: CitationCard, max: number): CardElement[] {
  const head: TextRun[] = [
    run(`${FORMAT_LABELS[card.format] ?? fit(card.format, 20)} citation for `, subtle),
  ];
  head.push(linkRun(`PMID ${fit(card.pmid, 12)}`, pubmedUrl(card.pmid), subtle));
  const items: CardElement[] = [rich(head)];
  let left = max;
  for (const line of card.text.split(/\r?\n/)) {
    if (left <= 0) break;
    const runs = plainRuns(line, Math.max(2, left), { fontType: 'Monospace' });
    left -= line.length + 1;
    items.push(rich(runs.length ? runs : [run(' ', { fontType: 'Monospace' })], { spacing: 'None' }));
  }
  return items;
}

export function helpElements(card: HelpCard): CardElement[] {
  const items: CardElement[] = [rich([run(fit(card.title, 150), { size: 'Medium', weight: 'Bolder' })])];
  for (const s of card.sections) {
    items.push(rich([run(fit(s.heading, 150), { weight: 'Bolder' })], { spacing: 'Medium' }));
    for (const line of s.lines)
      items.push(rich(plainRuns(line, 400, { fontType: 'Monospace' }), { spacing: 'None' }));
  }
  return items;
}

export function errorElements(card: ErrorCard): CardElement[] {
  const items: CardElement[] = [
    rich([run('⚠️ ', { color: 'Attention' }), ...plainRuns(card.message, 2000, { color: 'Attention' })]),
  ];
  if (card.hint) items.push(rich(plainRuns(card.hint, 1000, { isSubtle: true }), { spacing: 'Small' }));
  return items;
}
