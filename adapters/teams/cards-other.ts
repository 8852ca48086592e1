// Adaptive Card elements for the cards that are not articles: trials, citations, help and errors.
// Registry, citation and user text goes into TextRuns like PubMed's; the labels are the adapter's chrome.

import type { CitationCard, ErrorCard, HelpCard, TrialCard } from '../../src/core/reply';
import { pubmedUrl, safeUrl, trialUrl } from '../../src/core/present/links';
import { MARKS } from '../../src/core/present/marks';
import { citationStyleLabel } from '../../src/core/present/styles';
import { trialView } from '../../src/core/present/trials';
import {
  actionSet,
  linkRun,
  openUrl,
  rich,
  run,
  TEAMS_INK,
  type CardElement,
  type TextRun,
} from './adaptive';
import { commandActions } from './actions';
import { plainRuns } from './runs';

const subtle = { isSubtle: true, size: 'Small' as const };

function bulletList(label: string, lines: string[], max: number): CardElement[] {
  if (lines.length === 0) return [];
  return [
    rich([run(label, { weight: 'Bolder' })], { spacing: 'Small' }),
    ...lines.map((l) => rich(plainRuns(`• ${l}`, max), { spacing: 'None' })),
  ];
}

/** Criteria characters a Teams eligibility card shows before pointing to the full record. */
const CRITERIA_CHARS = 6_000;
/** Each line is its own block, and blocks cost bytes of their own: a cap keeps the card well under 24 KB. */
const CRITERIA_LINES = 60;

export function trialElements(card: TrialCard, summaryMax: number, compact = false): CardElement[] {
  const t = card.trial;
  const url = safeUrl(card.links.clinicalTrials ?? trialUrl(t.nct));
  const view = trialView(card, TEAMS_INK);
  const items: CardElement[] = [];
  if (view.stopped)
    items.push(
      rich([
        run(`${MARKS.warning.char} Stopped: `, { weight: 'Bolder', color: 'Warning' }),
        ...plainRuns(view.stopped, 500, { color: 'Warning' }),
      ]),
    );
  const title = `${TEAMS_INK.fit(t.nct, 20)} — ${t.acronym ? `${t.acronym}: ` : ''}${t.briefTitle}`;
  items.push(
    rich(
      plainRuns(title, 400, {
        size: 'Medium',
        weight: 'Bolder',
        ...(url ? { selectAction: openUrl('ClinicalTrials.gov', url) } : {}),
      }),
    ),
  );
  if (view.facts.length)
    items.push(rich(plainRuns(view.facts.join(' · '), 400, { isSubtle: true }), { spacing: 'Small' }));
  if (view.details.length || view.results) {
    const runs = view.details.length ? plainRuns(view.details.join('  ·  '), 800, subtle) : [];
    if (view.results)
      runs.push(
        ...(runs.length ? [run('  ·  ', subtle)] : []),
        linkRun(view.results.label, view.results.url, subtle),
      );
    items.push(rich(runs, { spacing: 'Small' }));
  }
  view.nearby.forEach((line, i) =>
    items.push(rich(plainRuns(line, 400, subtle), { spacing: i === 0 ? 'Small' : 'None' })),
  );
  if (view.criteria && !compact) {
    const c = view.criteria;
    items.push(rich([run(c.heading, { weight: 'Bolder' })], { spacing: 'Small' }));
    // One block per line keeps the record's list shape; the budget keeps the message under Teams' size cap.
    let room = CRITERIA_CHARS;
    const shown = c.lines.slice(0, CRITERIA_LINES);
    for (const line of shown) {
      if (room <= 0) break;
      items.push(rich(plainRuns(line, Math.min(room, 600)), { spacing: 'None' }));
      room -= line.length;
    }
    const more = room <= 0 || shown.length < c.lines.length ? [run('…  ', subtle)] : [];
    items.push(rich([...more, run(`${c.note}  `, subtle), linkRun(c.link.label, c.link.url, subtle)]));
  } else if (card.detail === 'full' && !compact) {
    if (t.briefSummary && summaryMax > 0) items.push(rich(plainRuns(t.briefSummary, summaryMax)));
    for (const list of view.lists)
      items.push(
        ...bulletList(
          list.heading,
          list.items,
          list.heading === 'Primary outcomes' || list.heading === 'Primary outcome' ? 440 : 260,
        ),
      );
  }
  const pubs = view.publications;
  if (pubs.length && !compact) {
    const runs: TextRun[] = [run('Publications: ', subtle)];
    pubs.forEach((p, i) => {
      if (i > 0) runs.push(run(', ', subtle));
      runs.push(linkRun(`PMID ${p.pmid}`, p.url, subtle));
      if (p.tag) runs.push(run(` ${p.tag}`, subtle));
    });
    items.push(rich(runs, { spacing: 'Small' }));
    if (view.publicationsNote)
      items.push(rich(plainRuns(view.publicationsNote, 300, subtle), { spacing: 'None' }));
  }
  const commands = compact ? [] : commandActions(card.actions);
  if (commands.length) items.push(actionSet(commands));
  if (url)
    items.push(actionSet([openUrl('ClinicalTrials.gov', url)], commands.length ? { spacing: 'Small' } : {}));
  return items;
}

/** The citation in monospace, one block per line (BibTeX and RIS are line-oriented), ready to copy. */
export function citationElements(card: CitationCard, max: number): CardElement[] {
  const head: TextRun[] = [run(`${citationStyleLabel(card.format)} citation for `, subtle)];
  head.push(linkRun(`PMID ${TEAMS_INK.fit(card.pmid, 12)}`, pubmedUrl(card.pmid), subtle));
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
  const items: CardElement[] = [
    rich([run(TEAMS_INK.fit(card.title, 150), { size: 'Medium', weight: 'Bolder' })]),
  ];
  for (const s of card.sections) {
    items.push(rich([run(TEAMS_INK.fit(s.heading, 150), { weight: 'Bolder' })], { spacing: 'Medium' }));
    for (const line of s.lines)
      items.push(rich(plainRuns(line, 400, { fontType: 'Monospace' }), { spacing: 'None' }));
  }
  const commands = commandActions(card.actions ?? []);
  if (commands.length) items.push(actionSet(commands));
  const url = safeUrl(card.link?.url);
  if (card.link && url) items.push(actionSet([openUrl(TEAMS_INK.fit(card.link.label, 40), url)]));
  return items;
}

export function errorElements(card: ErrorCard): CardElement[] {
  const items: CardElement[] = [
    rich([run('⚠️ ', { color: 'Attention' }), ...plainRuns(card.message, 2000, { color: 'Attention' })]),
  ];
  if (card.hint) items.push(rich(plainRuns(card.hint, 1000, { isSubtle: true }), { spacing: 'Small' }));
  return items;
}
