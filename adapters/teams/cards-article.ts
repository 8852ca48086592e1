// One ArticleCard as Adaptive Card elements: retraction and correction warnings first, the linked
// title, authors · journal · year, the evidence badge, the abstract when asked for, and the buttons.

import { bylineParts, idParts, trialRefs, type ArticleBudget } from '../../src/core/present/article';
import { articleUrl, linkButtons } from '../../src/core/present/links';
import type { Tone } from '../../src/core/present/marks';
import { cardMentions, cardWarnings, moreText, type NoticeRef } from '../../src/core/present/notices';
import type { ArticleCard } from '../../src/core/reply';
import { signalParts } from '../../src/core/present/signals';
import {
  actionSet,
  fit,
  linkRun,
  openUrl,
  rich,
  run,
  safeUrl,
  TEAMS_INK,
  type CardAction,
  type CardElement,
  type TextRun,
} from './adaptive';
import { commandActions } from './actions';
import { plainRuns, richRuns } from './runs';

export interface ArticleOptions {
  budget: ArticleBudget;
  /** Messaging-extension results and link unfurls: no command buttons (the bot may not be in that chat). */
  compact?: boolean;
  /** Action ids not to offer here (e.g. "share" in a personal chat, where there is no channel). */
  omit?: ReadonlySet<string>;
}

const mark = TEAMS_INK.mark;

const COLORS: Partial<Record<Tone, 'Attention' | 'Warning'>> = { danger: 'Attention', caution: 'Warning' };

/** Links to the notices' records, separated by commas; their citation text when PubMed gave no PMID. */
function noticeRuns(refs: NoticeRef[], base: Omit<TextRun, 'type' | 'text'>): TextRun[] {
  const runs: TextRun[] = [];
  for (const r of refs) {
    if (runs.length > 0) runs.push(run(', ', base));
    runs.push('url' in r ? linkRun(`PMID ${r.pmid}`, r.url, base) : run(fit(r.citation, 120), base));
  }
  return runs;
}

/** The warnings a clinician must not miss, above the title, in the card's strongest colours. */
function warnings(card: ArticleCard): CardElement[] {
  return cardWarnings(card).map(({ wording: w, refs: list }) => {
    const color = COLORS[w.tone];
    const base = color ? { color } : {};
    const refs = noticeRuns(list, base);
    return rich([
      run(`${mark(w.emoji)} ${w.title}`, { ...base, weight: 'Bolder' }),
      run(`${w.sentence}${refs.length ? w.refsLead : ''}`, base),
      ...refs,
      ...(refs.length ? [run('.', base)] : []),
    ]);
  });
}

function otherNotices(card: ArticleCard): TextRun[] {
  const small = { isSubtle: true, size: 'Small' as const };
  const runs: TextRun[] = [];
  for (const m of cardMentions(card)) {
    if (runs.length > 0) runs.push(run('  ·  ', small));
    runs.push(run(`${m.wording.label} `, small), ...noticeRuns(m.refs, small));
    if (m.more > 0) runs.push(run(moreText(m), small));
  }
  return runs;
}

function idLine(card: ArticleCard): string {
  const ids = [`PMID ${fit(card.pmid, 12)}`, ...(card.pmcid ? [fit(card.pmcid, 16)] : [])];
  return idParts(card, ids, TEAMS_INK).join('  ·  ');
}

/** Citations, a free copy, publisher corrections: one line of links, as present/signals.ts words it. */
function signalRuns(card: ArticleCard): TextRun[] {
  const small = { isSubtle: true, size: 'Small' as const };
  const runs: TextRun[] = [];
  for (const s of signalParts(card)) {
    if (runs.length > 0) runs.push(run('  ·  ', small));
    runs.push(s.url ? linkRun(s.text, s.url, small) : run(s.text, small));
  }
  return runs;
}

function trialRuns(card: ArticleCard): TextRun[] {
  const { ids, more } = trialRefs(card);
  if (ids.length === 0) return [];
  const small = { isSubtle: true, size: 'Small' as const };
  const runs: TextRun[] = [run('Trials: ', small)];
  ids.forEach((t, i) => {
    if (i > 0) runs.push(run(', ', small));
    runs.push(linkRun(t.nct, t.url, small));
  });
  if (more > 0) runs.push(run(` +${more}`, small));
  return runs;
}

function abstractBlocks(card: ArticleCard, budget: ArticleBudget): CardElement[] {
  const blocks: CardElement[] = [];
  let left = budget.abstract;
  for (const part of card.abstract) {
    const label = part.label ? `${fit(part.label, 60)}  ` : '';
    const room = Math.min(budget.section, left) - label.length;
    if (room <= 20) break;
    const runs = richRuns(part.rich.length > 0 ? part.rich : [{ text: part.text }], room);
    left -= label.length + runs.reduce((n, r) => n + r.text.length, 0);
    blocks.push(rich([...(label ? [run(label, { weight: 'Bolder' })] : []), ...runs], { spacing: 'Small' }));
  }
  return blocks;
}

/** PubMed, DOI and PMC as link buttons: they open in the browser, whoever posted the card. */
export function linkActions(card: ArticleCard): CardAction[] {
  const links = { ...card.links };
  const pubmed = articleUrl(card);
  if (pubmed) links.pubmed = pubmed;
  return linkButtons(links).flatMap((b) => {
    const url = safeUrl(b.url);
    return url ? [openUrl(b.label, url)] : [];
  });
}

export function articleElements(card: ArticleCard, o: ArticleOptions): CardElement[] {
  const items: CardElement[] = warnings(card);
  const titleRich =
    card.titleRich.length > 0 ? card.titleRich : [{ text: card.title || `PMID ${card.pmid}` }];
  const url = safeUrl(articleUrl(card));
  const title = richRuns(titleRich, o.budget.title, {
    size: 'Medium',
    weight: 'Bolder',
    ...(url ? { selectAction: openUrl('PubMed', url) } : {}),
  });
  items.push(rich(title.length ? title : [run(`PMID ${card.pmid}`, { weight: 'Bolder' })]));
  const meta = bylineParts(card, o.budget.authors, fit).join(' · ');
  if (meta) items.push(rich(plainRuns(meta, 600, { isSubtle: true }), { spacing: 'Small' }));
  items.push(rich([run(idLine(card), { isSubtle: true, size: 'Small' })], { spacing: 'Small' }));
  const signals = signalRuns(card);
  if (signals.length) items.push(rich(signals, { spacing: 'Small' }));
  if (!o.compact) {
    const trials = trialRuns(card);
    if (trials.length) items.push(rich(trials, { spacing: 'Small' }));
    const notices = otherNotices(card);
    if (notices.length) items.push(rich(notices, { spacing: 'Small' }));
  }
  if (card.detail === 'full' && !o.compact && o.budget.abstract > 0) {
    items.push(...abstractBlocks(card, o.budget));
    if (card.mesh.length > 0 && o.budget.mesh > 0)
      items.push(
        rich(
          plainRuns(`MeSH: ${card.mesh.slice(0, o.budget.mesh).join(' · ')}`, 800, {
            isSubtle: true,
            size: 'Small',
          }),
        ),
      );
  }
  const commands = o.compact ? [] : commandActions(card.actions, o.omit);
  if (commands.length) items.push(actionSet(commands));
  const links = linkActions(card);
  if (links.length) items.push(actionSet(links, commands.length ? { spacing: 'Small' } : {}));
  return items;
}
