// Block Kit for the cards that are not articles: trials, citations, help and errors.
// Registry and user text is escaped like PubMed's; the labels are the adapter's own chrome.

import type { Trial, TrialDate } from '../../src/core/trial';
import type { CitationCard, ErrorCard, HelpCard, TrialCard } from '../../src/core/reply';
import { escapeCode, escapeMrkdwn, fitMrkdwn, link } from './escape';
import { actions, context, header, section, thousands, type KnownBlock } from './kit';
import { LIMITS } from './limits';

const STATUS: Record<string, string> = {
  RECRUITING: ':large_green_circle: Recruiting',
  NOT_YET_RECRUITING: ':white_circle: Not yet recruiting',
  ENROLLING_BY_INVITATION: ':large_green_circle: Enrolling by invitation',
  ACTIVE_NOT_RECRUITING: ':large_blue_circle: Active, not recruiting',
  COMPLETED: ':white_check_mark: Completed',
  SUSPENDED: ':double_vertical_bar: Suspended',
  TERMINATED: ':red_circle: Terminated',
  WITHDRAWN: ':red_circle: Withdrawn',
  AVAILABLE: ':large_green_circle: Expanded access available',
  NO_LONGER_AVAILABLE: ':white_circle: Expanded access no longer available',
  TEMPORARILY_NOT_AVAILABLE: ':double_vertical_bar: Expanded access temporarily unavailable',
  APPROVED_FOR_MARKETING: ':white_check_mark: Approved for marketing',
  WITHHELD: ':white_circle: Withheld',
  UNKNOWN: ':grey_question: Status unknown',
};

function phases(trial: Trial): string | undefined {
  const list = trial.phases.filter((p) => p !== 'NA');
  if (list.length === 0) return undefined;
  const numbers = list.map((p) => p.replace(/^EARLY_PHASE/, 'early ').replace(/^PHASE/, ''));
  return `Phase ${numbers.join('/')}`;
}

function date(d: TrialDate | undefined): string | undefined {
  if (!d) return undefined;
  return `${d.date}${d.type === 'ESTIMATED' ? ' (est.)' : ''}`;
}

export function trialBlocks(card: TrialCard, actionsBlockId: string, summaryMax: number): KnownBlock[] {
  const t = card.trial;
  const nct = /^NCT\d{8}$/.test(t.nct) ? t.nct : escapeMrkdwn(t.nct);
  const url = card.links.clinicalTrials ?? `https://clinicaltrials.gov/study/${t.nct}`;
  const title = fitMrkdwn(t.acronym ? `${t.acronym}: ${t.briefTitle}` : t.briefTitle, 400);
  const facts = [
    t.status ? (STATUS[t.status] ?? escapeMrkdwn(t.status)) : undefined,
    phases(t),
    t.enrollment
      ? `${thousands(t.enrollment.count)} ${t.enrollment.type === 'ESTIMATED' ? 'planned' : 'enrolled'}`
      : undefined,
    t.leadSponsor ? fitMrkdwn(t.leadSponsor, 100) : undefined,
  ].filter((x): x is string => Boolean(x));
  const blocks: KnownBlock[] = [];
  if (t.whyStopped && ['TERMINATED', 'WITHDRAWN', 'SUSPENDED'].includes(t.status ?? ''))
    blocks.push(section(`:warning: *Stopped:* ${fitMrkdwn(t.whyStopped, 500)}`));
  blocks.push(section(`*${link(url, `${nct} — ${title}`)}*${facts.length ? `\n${facts.join(' · ')}` : ''}`));
  const detail = [
    t.conditions.length
      ? `Conditions: ${t.conditions
          .slice(0, 5)
          .map((c) => fitMrkdwn(c, 80))
          .join(', ')}`
      : undefined,
    [date(t.startDate), date(t.primaryCompletionDate)].some(Boolean)
      ? `Start ${date(t.startDate) ?? '?'} → primary completion ${date(t.primaryCompletionDate) ?? '?'}`
      : undefined,
    t.locationCount > 0 ? `${thousands(t.locationCount)} sites` : undefined,
    t.hasResults ? 'Results posted' : undefined,
    card.source === 'library' ? ':file_cabinet: local library' : undefined,
    card.stale ? ':hourglass: cached copy' : undefined,
  ].filter((x): x is string => Boolean(x));
  if (detail.length) blocks.push(context([detail.join('  ·  ')]));
  if (card.detail === 'full') {
    if (t.briefSummary)
      blocks.push(section(fitMrkdwn(t.briefSummary, Math.min(summaryMax, LIMITS.sectionText))));
    if (t.interventions.length)
      blocks.push(
        section(
          `*Interventions*\n${t.interventions
            .slice(0, 6)
            .map((i) => `• ${fitMrkdwn(i.name, 150)}`)
            .join('\n')}`,
        ),
      );
    if (t.primaryOutcomes.length)
      blocks.push(
        section(
          `*Primary outcomes*\n${t.primaryOutcomes
            .slice(0, 3)
            .map((o) => `• ${fitMrkdwn(o.measure, 300)}`)
            .join('\n')}`,
        ),
      );
  }
  const pubs = card.publications.filter((p) => /^\d{1,9}$/.test(p.pmid)).slice(0, 6);
  if (pubs.length)
    blocks.push(
      context([
        `Publications: ${pubs
          .map(
            (p) =>
              `${link(`https://pubmed.ncbi.nlm.nih.gov/${p.pmid}/`, `PMID ${p.pmid}`)}${p.type === 'RESULT' ? ' (results)' : ''}`,
          )
          .join(', ')}`,
      ]),
    );
  const buttons = actions(card.actions, actionsBlockId);
  if (buttons) blocks.push(buttons);
  return blocks;
}

const FORMAT_LABELS: Record<CitationCard['format'], string> = {
  ama: 'AMA',
  vancouver: 'Vancouver',
  apa: 'APA',
  bibtex: 'BibTeX',
  ris: 'RIS',
};

export function citationBlocks(card: CitationCard): KnownBlock[] {
  const pmid = /^\d{1,9}$/.test(card.pmid) ? card.pmid : escapeMrkdwn(card.pmid);
  // Inside a code block nothing is formatted, so only entities and backticks need care; the text copies exactly.
  const body = escapeCode(card.text);
  const fence = '```';
  const room = LIMITS.sectionText - 2 * fence.length;
  return [
    context([
      `${FORMAT_LABELS[card.format] ?? escapeMrkdwn(card.format)} citation for ${link(`https://pubmed.ncbi.nlm.nih.gov/${pmid}/`, `PMID ${pmid}`)}`,
    ]),
    section(`${fence}${body.length > room ? cutCode(body, room) : body}${fence}`),
  ];
}

/** Code is not formatted, so only a half entity ("&am") must not be left at the cut. */
function cutCode(text: string, max: number): string {
  return `${text.slice(0, max - 1).replace(/&[a-z]*$/i, '')}…`;
}

export function helpBlocks(card: HelpCard): KnownBlock[] {
  const blocks: KnownBlock[] = [header(card.title)];
  for (const s of card.sections) {
    const lines = s.lines.map((l) => `• \`${escapeCode(l)}\``).join('\n');
    blocks.push(section(`*${fitMrkdwn(s.heading, 150)}*\n${lines}`));
  }
  return blocks;
}

export function errorBlocks(card: ErrorCard): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`:warning: ${fitMrkdwn(card.message, 2000)}`)];
  if (card.hint) blocks.push(context([fitMrkdwn(card.hint, 1000)]));
  return blocks;
}
