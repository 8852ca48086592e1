// What an article card says around its title, before layout: the byline, the trial registrations it
// names, and where the copy came from. Record text goes through the renderer's own `fit` (escape, cut).

import type { ArticleCard } from '../reply';
import { evidenceBadge } from './badges';
import { isNct, trialUrl } from './links';
import { MARKS, type Emoji, type Ink } from './marks';

/** How much of an article card to show; renderers tighten it, level by level, until a message fits. */
export interface ArticleBudget {
  title: number;
  authors: number;
  /** Characters of abstract for the whole card (0: none), each section cut to `section`. */
  abstract: number;
  section: number;
  mesh: number;
}

/**
 * The byline every platform prints under a title: authors (the first `maxAuthors`, then "et al."), journal,
 * "year;vol(issue):pages". `fit` is the platform's own escaping and cutting of record text.
 */
export function bylineParts(
  card: Pick<ArticleCard, 'authors' | 'journal' | 'year' | 'citation'>,
  maxAuthors: number,
  fit: (text: string, max: number) => string,
): string[] {
  const parts: string[] = [];
  if (card.authors.length > 0) {
    const shown = card.authors.slice(0, maxAuthors).map((a) => fit(a, 80));
    parts.push(shown.join(', ') + (card.authors.length > maxAuthors ? ' et al.' : ''));
  }
  if (card.journal) parts.push(fit(card.journal, 120));
  const when = [card.year, card.citation].filter(Boolean).join(';');
  if (when) parts.push(fit(when, 60));
  return parts;
}

/** The registrations an article names, linked (valid NCT ids only, at most six), and how many more. */
export function trialRefs(card: Pick<ArticleCard, 'trials'>): {
  ids: { nct: string; url: string }[];
  more: number;
} {
  const ids = card.trials.filter(isNct).slice(0, 6);
  return { ids: ids.map((nct) => ({ nct, url: trialUrl(nct) })), more: card.trials.length - ids.length };
}

/** Where a card's copy came from, when that is not the live source: "local library", "cached copy". */
export function provenance(card: { source: string; stale: boolean }): { emoji: Emoji; label: string }[] {
  const marks: { emoji: Emoji; label: string }[] = [];
  if (card.source === 'library') marks.push({ emoji: MARKS.library, label: 'local library' });
  if (card.stale) marks.push({ emoji: MARKS.cached, label: 'cached copy' });
  return marks;
}

/** The line of identifiers: the evidence badge, the platform's own `ids`, then where the copy came from. */
export function idParts(card: ArticleCard, ids: string[], ink: Pick<Ink, 'mark'>): string[] {
  const badge = evidenceBadge(card);
  return [
    ...(badge ? [`${ink.mark(badge.emoji)} ${badge.label}`] : []),
    ...ids,
    ...provenance(card).map((p) => `${ink.mark(p.emoji)} ${p.label}`),
  ];
}
