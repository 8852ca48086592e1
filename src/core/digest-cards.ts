// The DigestCard view model: one digest post (header, date window, compact entries, "N more → PubMed").
// src/digest decides what goes in it; adapters decide how it looks. Built from Articles via cards.ts.

import type { Article } from './article';
import { articleCard } from './cards';
import type { ArticleCard, Reply } from './reply';

/** Entries shown in one post; the rest are counted and linked. */
export const DIGEST_MAX_ENTRIES = 10;

export interface DigestCard {
  type: 'digest';
  /** The subscription's id; absent when previewing a bare query. */
  subscriptionId?: string;
  /** The query as the user typed it, filters included ("immunotherapy liver metastases type:rct"). */
  query: string;
  /** Entrez dates covered, inclusive, `YYYY/MM/DD` (PubMed's own calendar, US Eastern). */
  window: { from: string; to: string };
  /** New papers in the window for this subscription (never sent to it before). */
  count: number;
  /** At most DIGEST_MAX_ENTRIES compact cards, newest first. */
  entries: ArticleCard[];
  /** Present when `count` exceeds the entries: how many more, and the PubMed search that lists them. */
  more?: { count: number; url: string };
  /** The whole window's search on the PubMed website. */
  searchUrl: string;
  /** Some entries came from a cached copy (PubMed unreachable for efetch). */
  stale: boolean;
}

/** A Reply that carries a digest: `digest` for adapters that render digests, the rest for those that do not. */
export interface DigestReply extends Reply {
  digest: DigestCard;
}

export interface DigestCardInput {
  subscriptionId?: string;
  query: string;
  window: { from: string; to: string };
  count: number;
  /** The papers to show, newest first; extra ones beyond DIGEST_MAX_ENTRIES are dropped. */
  articles: Article[];
  searchUrl: string;
  stale: boolean;
}

function compactEntry(article: Article, stale: boolean): ArticleCard {
  const card = articleCard(article, { detail: 'summary', source: 'pubmed', stale });
  // The digest is already in the channel; sharing an entry to it again would only repeat it.
  return { ...card, actions: card.actions.filter((a) => a.id !== 'share') };
}

export function digestCard(input: DigestCardInput): DigestCard {
  const entries = input.articles.slice(0, DIGEST_MAX_ENTRIES).map((a) => compactEntry(a, input.stale));
  const rest = input.count - entries.length;
  return {
    type: 'digest',
    ...(input.subscriptionId === undefined ? {} : { subscriptionId: input.subscriptionId }),
    query: input.query,
    window: { from: input.window.from, to: input.window.to },
    count: input.count,
    entries,
    ...(rest > 0 ? { more: { count: rest, url: input.searchUrl } } : {}),
    searchUrl: input.searchUrl,
    stale: input.stale,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026/11/25" → "25 Nov 2026"; anything else unchanged. */
export function displayEntrezDate(date: string): string {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** "25–26 Nov 2026", "30 Nov – 2 Dec 2026", "26 Nov 2026". */
export function displayWindow(window: { from: string; to: string }): string {
  if (window.from === window.to) return displayEntrezDate(window.from);
  const [fy, fm, fd] = window.from.split('/');
  const [ty, tm] = window.to.split('/');
  const to = displayEntrezDate(window.to);
  if (fy === ty && fm === tm) return `${Number(fd)}–${to}`;
  if (fy === ty) return `${Number(fd)} ${MONTHS[Number(fm) - 1] ?? fm} – ${to}`;
  return `${displayEntrezDate(window.from)} – ${to}`;
}

const papers = (n: number): string => `${n.toLocaleString('en-US')} new paper${n === 1 ? '' : 's'}`;

/** One plain-text line that says everything the header says, for notifications and digest-unaware renderers. */
export function digestHeadline(card: DigestCard): string {
  const id = card.subscriptionId === undefined ? '' : ` (digest #${card.subscriptionId})`;
  const head = `PubMed digest${id}: “${card.query}”, added ${displayWindow(card.window)}`;
  if (card.count === 0) return `${head}: nothing new.`;
  const more = card.more
    ? ` ${card.more.count.toLocaleString('en-US')} more on PubMed: ${card.more.url}`
    : '';
  return `${head}: ${papers(card.count)}, newest first.${more}`;
}

export function digestReply(card: DigestCard, visibility: Reply['visibility']): DigestReply {
  const notices = [digestHeadline(card)];
  if (card.stale)
    notices.push(
      'Some entries come from a cached copy because PubMed could not be reached; retractions issued since may be missing.',
    );
  return { cards: card.entries, notice: notices.join('\n'), total: card.count, visibility, digest: card };
}
