// Block Kit for one ArticleCard: retraction and correction warnings first, the linked title, authors ·
// journal · year, the evidence badge and identifiers, the abstract when asked for, and the card's buttons.

import type { Evidence, Notice } from '../../src/core/article';
import { bylineParts } from '../../src/core/cards';
import type { ArticleCard } from '../../src/core/reply';
import { escapeMrkdwn, fitMrkdwn, fitRich, link } from './escape';
import { actions, context, section, type KnownBlock } from './kit';
import { LIMITS } from './limits';

/** How much of a card to show; blocks.ts tightens it until the whole message fits. */
export interface ArticleBudget {
  title: number;
  authors: number;
  /** Characters of abstract for the whole card (0: none), each section cut to `section`. */
  abstract: number;
  section: number;
  mesh: number;
}

const BADGES: Record<Evidence, string | undefined> = {
  guideline: ':blue_book: Guideline',
  'meta-analysis': ':bar_chart: Meta-analysis',
  'systematic-review': ':mag: Systematic review',
  rct: ':dart: Randomized controlled trial',
  'clinical-trial': ':test_tube: Clinical trial',
  review: ':books: Review',
  'case-report': ':bust_in_silhouette: Case report',
  editorial: ':memo: Editorial',
  letter: ':envelope: Letter',
  comment: ':speech_balloon: Comment',
  other: undefined,
};

export function pubmedUrl(pmid: string): string | undefined {
  return /^\d{1,9}$/.test(pmid) ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` : undefined;
}

function noticeRefs(notices: Notice[]): string {
  const refs = notices.map((n) =>
    n.pmid && pubmedUrl(n.pmid)
      ? link(pubmedUrl(n.pmid), `PMID ${n.pmid}`)
      : n.source
        ? fitMrkdwn(n.source, 120)
        : '',
  );
  return refs.filter(Boolean).join(', ');
}

function about(card: ArticleCard, dir: Notice['about'], type: Notice['type']): Notice[] {
  return card.notices.filter((n) => n.about === dir && n.type === type);
}

/** The warnings a clinician must not miss, as sections above the title. */
function warningBlocks(card: ArticleCard): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const retractions = about(card, 'this', 'retraction');
  if (card.retracted || retractions.length > 0) {
    const refs = noticeRefs(retractions);
    blocks.push(
      section(
        `:warning: *RETRACTED* — this article has been retracted.${refs ? ` Retraction notice: ${refs}.` : ''}`,
      ),
    );
  }
  const concerns = about(card, 'this', 'expression-of-concern');
  if (concerns.length > 0) {
    const refs = noticeRefs(concerns);
    blocks.push(
      section(
        `:warning: *Expression of concern* — the journal has raised concerns about this article.${refs ? ` Notice: ${refs}.` : ''}`,
      ),
    );
  }
  const errata = about(card, 'this', 'erratum');
  if (errata.length > 0) {
    const refs = noticeRefs(errata);
    blocks.push(
      section(`:memo: *Erratum* — a correction to this article was published.${refs ? ` See ${refs}.` : ''}`),
    );
  }
  const retracts = about(card, 'other', 'retraction');
  if (retracts.length > 0) {
    const refs = noticeRefs(retracts);
    blocks.push(
      section(`:page_facing_up: *Retraction notice*${refs ? ` — this record retracts ${refs}` : ''}.`),
    );
  }
  return blocks;
}

const OTHER_NOTICE_LABELS: Partial<Record<`${Notice['about']}:${Notice['type']}`, string>> = {
  'this:comment': 'Comment in',
  'this:update': 'Updated in',
  'this:republished': 'Republished in',
  'other:comment': 'Comment on',
  'other:erratum': 'Erratum for',
  'other:expression-of-concern': 'Expression of concern about',
  'other:update': 'Update of',
  'other:republished': 'Republished from',
};

/** Comments, updates and the like: shown, quietly, as one context line. */
function otherNotices(card: ArticleCard): string[] {
  const parts: string[] = [];
  for (const [key, label] of Object.entries(OTHER_NOTICE_LABELS)) {
    const [dir, type] = key.split(':') as [Notice['about'], Notice['type']];
    const refs = noticeRefs(about(card, dir, type).slice(0, 5));
    if (refs) parts.push(`${label} ${refs}`);
  }
  return parts;
}

function metaLine(card: ArticleCard, budget: ArticleBudget): string {
  return bylineParts(card, budget.authors, fitMrkdwn).join(' · ');
}

function idLine(card: ArticleCard): string {
  const parts: string[] = [];
  const badge = BADGES[card.evidence];
  if (badge) parts.push(badge);
  parts.push(link(card.links.pubmed ?? pubmedUrl(card.pmid), `PMID ${escapeMrkdwn(card.pmid)}`));
  if (card.doi) parts.push(link(card.links.doi, `DOI ${fitMrkdwn(card.doi, 100)}`));
  if (card.pmcid) parts.push(link(card.links.pmc, escapeMrkdwn(card.pmcid)));
  if (card.source === 'library') parts.push(':file_cabinet: local library');
  if (card.stale) parts.push(':hourglass: cached copy');
  return parts.join('  ·  ');
}

function trialLine(card: ArticleCard): string | undefined {
  const ids = card.trials.filter((t) => /^NCT\d{8}$/.test(t)).slice(0, 6);
  if (ids.length === 0) return undefined;
  const more = card.trials.length > ids.length ? ` +${card.trials.length - ids.length}` : '';
  return `Trials: ${ids.map((t) => link(`https://clinicaltrials.gov/study/${t}`, t)).join(', ')}${more}`;
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
  const meta = metaLine(card, o.budget);
  blocks.push(
    section(
      `*${link(card.links.pubmed ?? pubmedUrl(card.pmid), title || `PMID ${card.pmid}`)}*${meta ? `\n${meta}` : ''}`,
    ),
  );
  const contextParts = [idLine(card)];
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
