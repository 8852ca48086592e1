// Block Kit for one ArticleCard: retraction and correction warnings first, the linked title, authors ·
// journal · year, the evidence badge and identifiers, the abstract when asked for, and the card's buttons.

import { bylineParts, idParts, trialRefs, type ArticleBudget } from '../../src/core/present/article';
import { articleUrl } from '../../src/core/present/links';
import { cardMentions, cardWarnings, moreText, type NoticeRef } from '../../src/core/present/notices';
import type { ArticleCard } from '../../src/core/reply';
import { signalParts } from '../../src/core/present/signals';
import { escapeMrkdwn, fitMrkdwn, fitRich, link, SLACK_INK } from './escape';
import { actions, context, section, type KnownBlock } from './kit';
import { LIMITS } from './limits';

const mark = SLACK_INK.mark;

function noticeRefs(refs: NoticeRef[]): string {
  return refs
    .map((r) => ('url' in r ? link(r.url, `PMID ${r.pmid}`) : fitMrkdwn(r.citation, 120)))
    .join(', ');
}

/** The warnings a clinician must not miss, as sections above the title. */
function warningBlocks(card: ArticleCard): KnownBlock[] {
  return cardWarnings(card).map((w) => {
    const refs = noticeRefs(w.refs);
    const { emoji, title, sentence, refsLead } = w.wording;
    return section(`${mark(emoji)} *${title}*${sentence}${refs ? `${refsLead}${refs}.` : ''}`);
  });
}

/** Comments, updates and the like: shown, quietly, as one context line. */
function otherNotices(card: ArticleCard): string[] {
  return cardMentions(card).map((m) => `${m.wording.label} ${noticeRefs(m.refs)}${moreText(m)}`);
}

function idLine(card: ArticleCard): string {
  const ids = [link(articleUrl(card), `PMID ${escapeMrkdwn(card.pmid)}`)];
  if (card.doi) ids.push(link(card.links.doi, `DOI ${fitMrkdwn(card.doi, 100)}`));
  if (card.pmcid) ids.push(link(card.links.pmc, escapeMrkdwn(card.pmcid)));
  return idParts(card, ids, SLACK_INK).join('  ·  ');
}

/** Citations, a free copy, publisher corrections: one linked line, as present/signals.ts words it. */
function signalLine(card: ArticleCard): string | undefined {
  const parts = signalParts(card).map((s) => link(s.url, escapeMrkdwn(s.text)));
  return parts.length > 0 ? parts.join('  ·  ') : undefined;
}

function trialLine(card: ArticleCard): string | undefined {
  const { ids, more } = trialRefs(card);
  if (ids.length === 0) return undefined;
  return `Trials: ${ids.map((t) => link(t.url, t.nct)).join(', ')}${more > 0 ? ` +${more}` : ''}`;
}

function abstractBlocks(card: ArticleCard, budget: ArticleBudget): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let left = budget.abstract;
  let current = '';
  for (const part of card.abstract) {
    if (left <= 40) break;
    const label = part.label ? `*${fitMrkdwn(part.label, 60)}*  ` : '';
    const room = Math.min(budget.section, left, LIMITS.sectionText) - label.length;
    if (room <= 20) break;
    const text = `${label}${fitRich(part.rich.length > 0 ? part.rich : [{ text: part.text }], room)}`;
    left -= text.length;
    if (current && current.length + 2 + text.length > LIMITS.sectionText) {
      blocks.push(section(current));
      current = text;
    } else current = current ? `${current}\n\n${text}` : text;
  }
  if (current) blocks.push(section(current));
  return blocks;
}

export interface ArticleBlockOptions {
  budget: ArticleBudget;
  /** Block id of the card's actions block; blocks.ts encodes where the card sits in its message. */
  actionsBlockId: string;
  /** Unfurls: title, meta and warnings only, no buttons or abstract. */
  compact?: boolean;
}

export function articleBlocks(card: ArticleCard, o: ArticleBlockOptions): KnownBlock[] {
  const blocks: KnownBlock[] = warningBlocks(card);
  // The title is already bold; bold spans inside it would close the outer markers early.
  const rich = (card.titleRich.length > 0 ? card.titleRich : [{ text: card.title }]).map((s) =>
    s.style ? { text: s.text, style: s.style.filter((x) => x !== 'bold') } : s,
  );
  const title = fitRich(rich, o.budget.title);
  const meta = bylineParts(card, o.budget.authors, fitMrkdwn).join(' · ');
  blocks.push(section(`*${link(articleUrl(card), title || `PMID ${card.pmid}`)}*${meta ? `\n${meta}` : ''}`));
  const contextParts = [idLine(card)];
  const signals = signalLine(card);
  if (signals) contextParts.push(signals);
  const trials = trialLine(card);
  if (trials && !o.compact) contextParts.push(trials);
  blocks.push(context(contextParts));
  if (o.compact) return blocks;
  const notices = otherNotices(card);
  if (notices.length > 0) blocks.push(context([notices.join('  ·  ')]));
  if (card.detail === 'full' && o.budget.abstract > 0) {
    blocks.push(...abstractBlocks(card, o.budget));
    if (card.mesh.length > 0 && o.budget.mesh > 0)
      blocks.push(
        context([
          `MeSH: ${card.mesh
            .slice(0, o.budget.mesh)
            .map((m) => fitMrkdwn(m, 80))
            .join(' · ')}`,
        ]),
      );
  }
  const buttons = actions(card.actions, o.actionsBlockId);
  if (buttons) blocks.push(buttons);
  return blocks;
}
