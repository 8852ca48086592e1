// One ArticleCard as Adaptive Card elements: retraction and correction warnings first, the linked
// title, authors · journal · year, the evidence badge, the abstract when asked for, and the buttons.

import type { Evidence, Notice } from '../../src/core/article';
import { bylineParts } from '../../src/core/cards';
import type { ArticleCard } from '../../src/core/reply';
import {
  actionSet,
  fit,
  linkRun,
  openUrl,
  rich,
  run,
  safeUrl,
  type CardAction,
  type CardElement,
  type TextRun,
} from './adaptive';
import { commandActions } from './actions';
import { plainRuns, richRuns } from './runs';

/** How much of a card to show; cards.ts tightens it until the whole message fits. */
export interface ArticleBudget {
  title: number;
  authors: number;
  /** Characters of abstract for the whole card (0: none), each section cut to `section`. */
  abstract: number;
  section: number;
  mesh: number;
}

export interface ArticleOptions {
  budget: ArticleBudget;
  /** Messaging-extension results and link unfurls: no command buttons (the bot may not be in that chat). */
  compact?: boolean;
  /** Action ids not to offer here (e.g. "share" in a personal chat, where there is no channel). */
  omit?: ReadonlySet<string>;
}

const BADGES: Record<Evidence, string | undefined> = {
  guideline: '📘 Guideline',
  'meta-analysis': '📊 Meta-analysis',
  'systematic-review': '🔍 Systematic review',
  rct: '🎯 Randomized controlled trial',
  'clinical-trial': '🧪 Clinical trial',
  review: '📚 Review',
  'case-report': '👤 Case report',
  editorial: '📝 Editorial',
  letter: '✉️ Letter',
  comment: '💬 Comment',
  other: undefined,
};

export function pubmedUrl(pmid: string): string | undefined {
  return /^\d{1,9}$/.test(pmid) ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` : undefined;
}

function about(card: ArticleCard, dir: Notice['about'], type: Notice['type']): Notice[] {
  return card.notices.filter((n) => n.about === dir && n.type === type);
}

/** Links to the notices' records, separated by commas; their citation text when PubMed gave no PMID. */
function noticeRuns(notices: Notice[], base: Omit<TextRun, 'type' | 'text'>): TextRun[] {
  const runs: TextRun[] = [];
  for (const n of notices.slice(0, 5)) {
    const url = n.pmid ? pubmedUrl(n.pmid) : undefined;
    const piece =
      url && n.pmid
        ? linkRun(`PMID ${n.pmid}`, url, base)
        : n.source
          ? run(fit(n.source, 120), base)
          : undefined;
    if (!piece) continue;
    if (runs.length > 0) runs.push(run(', ', base));
    runs.push(piece);
  }
  return runs;
}

function warning(
  lead: string,
  rest: string,
  refs: TextRun[],
  color: 'Attention' | 'Warning' | 'Default',
): CardElement {
  const base = color === 'Default' ? {} : { color };
  return rich([
    run(lead, { ...base, weight: 'Bolder' }),
    run(rest, base),
    ...refs,
    ...(refs.length ? [run('.', base)] : []),
  ]);
}

/** The warnings a clinician must not miss, above the title, in the card's strongest colours. */
function warnings(card: ArticleCard): CardElement[] {
  const out: CardElement[] = [];
  const retractions = about(card, 'this', 'retraction');
  if (card.retracted || retractions.length > 0) {
    const refs = noticeRuns(retractions, { color: 'Attention' });
    out.push(
      warning(
        '⚠️ RETRACTED',
        ` — this article has been retracted.${refs.length ? ' Retraction notice: ' : ''}`,
        refs,
        'Attention',
      ),
    );
  }
  const concerns = about(card, 'this', 'expression-of-concern');
  if (concerns.length > 0) {
    const refs = noticeRuns(concerns, { color: 'Warning' });
    out.push(
      warning(
        '⚠️ Expression of concern',
        ` — the journal has raised concerns about this article.${refs.length ? ' Notice: ' : ''}`,
        refs,
        'Warning',
      ),
    );
  }
  const errata = about(card, 'this', 'erratum');
  if (errata.length > 0) {
    const refs = noticeRuns(errata, { color: 'Warning' });
    out.push(
      warning(
        '📝 Erratum',
        ` — a correction to this article was published.${refs.length ? ' See ' : ''}`,
        refs,
        'Warning',
      ),
    );
  }
  // This record IS a retraction notice about another article: say so plainly, never as "retracted".
  const retracts = about(card, 'other', 'retraction');
  if (retracts.length > 0) {
    const refs = noticeRuns(retracts, {});
    out.push(warning('📄 Retraction notice', refs.length ? ' — this record retracts ' : '', refs, 'Default'));
  }
  return out;
}

const OTHER_NOTICES: [Notice['about'], Notice['type'], string][] = [
  ['this', 'comment', 'Comment in'],
  ['this', 'update', 'Updated in'],
  ['this', 'republished', 'Republished in'],
  ['other', 'comment', 'Comment on'],
  ['other', 'erratum', 'Erratum for'],
  ['other', 'expression-of-concern', 'Expression of concern about'],
  ['other', 'update', 'Update of'],
  ['other', 'republished', 'Republished from'],
];

function otherNotices(card: ArticleCard): TextRun[] {
  const runs: TextRun[] = [];
  for (const [dir, type, label] of OTHER_NOTICES) {
    const refs = noticeRuns(about(card, dir, type), { isSubtle: true, size: 'Small' });
    if (refs.length === 0) continue;
    if (runs.length > 0) runs.push(run('  ·  ', { isSubtle: true, size: 'Small' }));
    runs.push(run(`${label} `, { isSubtle: true, size: 'Small' }), ...refs);
  }
  return runs;
}

function metaLine(card: ArticleCard, budget: ArticleBudget): string {
  return bylineParts(card, budget.authors, fit).join(' · ');
}

function idLine(card: ArticleCard): string {
  const parts: string[] = [];
  const badge = BADGES[card.evidence];
  if (badge) parts.push(badge);
  parts.push(`PMID ${fit(card.pmid, 12)}`);
  if (card.pmcid) parts.push(fit(card.pmcid, 16));
  if (card.source === 'library') parts.push('🗄️ local library');
  if (card.stale) parts.push('⌛ cached copy');
  return parts.join('  ·  ');
}

function trialRuns(card: ArticleCard): TextRun[] {
  const ids = card.trials.filter((t) => /^NCT\d{8}$/.test(t)).slice(0, 6);
  if (ids.length === 0) return [];
  const small = { isSubtle: true, size: 'Small' as const };
  const runs: TextRun[] = [run('Trials: ', small)];
  ids.forEach((t, i) => {
    if (i > 0) runs.push(run(', ', small));
    runs.push(linkRun(t, `https://clinicaltrials.gov/study/${t}`, small));
  });
  if (card.trials.length > ids.length) runs.push(run(` +${card.trials.length - ids.length}`, small));
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
  const actions: CardAction[] = [];
  const pubmed = safeUrl(card.links.pubmed ?? pubmedUrl(card.pmid));
  if (pubmed) actions.push(openUrl('PubMed', pubmed));
  const doi = safeUrl(card.links.doi);
  if (doi) actions.push(openUrl('DOI', doi));
  const pmc = safeUrl(card.links.pmc);
  if (pmc) actions.push(openUrl('PMC', pmc));
  return actions;
}

export function articleElements(card: ArticleCard, o: ArticleOptions): CardElement[] {
  const items: CardElement[] = warnings(card);
  const titleRich =
    card.titleRich.length > 0 ? card.titleRich : [{ text: card.title || `PMID ${card.pmid}` }];
  const url = safeUrl(card.links.pubmed ?? pubmedUrl(card.pmid));
  const title = richRuns(titleRich, o.budget.title, {
    size: 'Medium',
    weight: 'Bolder',
    ...(url ? { selectAction: openUrl('PubMed', url) } : {}),
  });
  items.push(rich(title.length ? title : [run(`PMID ${card.pmid}`, { weight: 'Bolder' })]));
  const meta = metaLine(card, o.budget);
  if (meta) items.push(rich(plainRuns(meta, 600, { isSubtle: true }), { spacing: 'Small' }));
  items.push(rich([run(idLine(card), { isSubtle: true, size: 'Small' })], { spacing: 'Small' }));
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
