// Block Kit for the cards that are not articles: trials, citations, help and errors.
// Registry and user text is escaped like PubMed's; the labels are the adapter's own chrome.

import { isNct, isPmid, pubmedUrl, trialUrl } from '../../src/core/present/links';
import { citationStyleLabel } from '../../src/core/present/styles';
import { trialView } from '../../src/core/present/trials';
import type { CitationCard, ErrorCard, HelpCard, TrialCard } from '../../src/core/reply';
import { escapeCode, escapeMrkdwn, fitMrkdwn, link, SLACK_INK } from './escape';
import { actions, context, header, section, type KnownBlock } from './kit';
import { LIMITS } from './limits';

export function trialBlocks(card: TrialCard, actionsBlockId: string, summaryMax: number): KnownBlock[] {
  const t = card.trial;
  const nct = isNct(t.nct) ? t.nct : escapeMrkdwn(t.nct);
  const url = card.links.clinicalTrials ?? trialUrl(t.nct);
  const title = fitMrkdwn(t.acronym ? `${t.acronym}: ${t.briefTitle}` : t.briefTitle, 400);
  const view = trialView(card, SLACK_INK);
  const blocks: KnownBlock[] = [];
  if (view.stopped) blocks.push(section(`:warning: *Stopped:* ${view.stopped}`));
  const facts = view.facts.length ? `\n${view.facts.join(' · ')}` : '';
  blocks.push(section(`*${link(url, `${nct} — ${title}`)}*${facts}`));
  const details = [...view.details, ...(view.results ? [link(view.results.url, view.results.label)] : [])];
  if (details.length) blocks.push(context([details.join('  ·  ')]));
  if (view.nearby.length) blocks.push(context([view.nearby.join('\n')]));
  if (view.criteria) {
    const c = view.criteria;
    // Whole lines until the section is full: a line cut mid-criterion would misstate it.
    let text = `*${c.heading}*`;
    for (const line of c.lines) {
      const next = `${text}\n${fitMrkdwn(line, 1000)}`;
      if (next.length > LIMITS.sectionText - 2) {
        text += '\n…';
        break;
      }
      text = next;
    }
    blocks.push(section(text));
    blocks.push(context([c.note, link(c.link.url, c.link.label)]));
  } else if (card.detail === 'full') {
    if (t.briefSummary)
      blocks.push(section(fitMrkdwn(t.briefSummary, Math.min(summaryMax, LIMITS.sectionText))));
    for (const list of view.lists)
      blocks.push(section(`*${list.heading}*\n${list.items.map((i) => `• ${i}`).join('\n')}`));
  }
  const pubs = view.publications;
  if (pubs.length)
    blocks.push(
      context([
        `Publications: ${pubs.map((p) => `${link(p.url, `PMID ${p.pmid}`)}${p.tag ? ` ${p.tag}` : ''}`).join(', ')}`,
        ...(view.publicationsNote ? [view.publicationsNote] : []),
      ]),
    );
  const buttons = actions(card.actions, actionsBlockId);
  if (buttons) blocks.push(buttons);
  return blocks;
}

export function citationBlocks(card: CitationCard): KnownBlock[] {
  const pmid = isPmid(card.pmid) ? card.pmid : escapeMrkdwn(card.pmid);
  // Inside a code block nothing is formatted, so only entities and backticks need care; the text copies exactly.
  const body = escapeCode(card.text);
  const fence = '```';
  const room = LIMITS.sectionText - 2 * fence.length;
  return [
    context([
      `${citationStyleLabel(card.format)} citation for ${link(pubmedUrl(card.pmid), `PMID ${pmid}`)}`,
    ]),
    section(`${fence}${body.length > room ? cutCode(body, room) : body}${fence}`),
  ];
}

/** Code is not formatted, so only a half entity ("&am") must not be left at the cut. */
function cutCode(text: string, max: number): string {
  return `${text.slice(0, max - 1).replace(/&[a-z]*$/i, '')}…`;
}

export function helpBlocks(card: HelpCard, actionsBlockId: string): KnownBlock[] {
  const blocks: KnownBlock[] = [header(card.title)];
  for (const s of card.sections) {
    const lines = s.lines.map((l) => `• \`${escapeCode(l)}\``).join('\n');
    blocks.push(section(`*${fitMrkdwn(s.heading, 150)}*\n${lines}`));
  }
  if (card.link) blocks.push(section(link(card.link.url, `*${fitMrkdwn(card.link.label, 200)}*`)));
  const buttons = actions(card.actions ?? [], actionsBlockId);
  if (buttons) blocks.push(buttons);
  return blocks;
}

export function errorBlocks(card: ErrorCard): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`:warning: ${fitMrkdwn(card.message, 2000)}`)];
  if (card.hint) blocks.push(context([fitMrkdwn(card.hint, 1000)]));
  return blocks;
}
