// What a reply says around its cards: the notification line, the result count, the next-page button.
// Every platform shows these; only where and how is theirs.

import type { Card, Reply } from '../reply';
import { thousands } from './marks';

/** What a notification shows for a card before the message is opened. */
export function headline(card: Card): string {
  switch (card.type) {
    case 'article':
      return `${card.retracted ? 'RETRACTED: ' : ''}${card.title}`;
    case 'trial':
      return `${card.trial.nct}: ${card.trial.briefTitle}`;
    case 'error':
      return card.message;
    case 'help':
      return card.title;
    case 'citation':
      return card.text;
    case 'map':
      return `${card.title}: ${card.total.countText} PubMed records`;
  }
}

/** "1,234 results" above a page of cards. */
export function resultCount(total: number): string {
  return `${thousands(total)} result${total === 1 ? '' : 's'}`;
}

/**
 * The line above a page of results: "1,234 results" on the first page, "Results 6–10 of 1,234" on later
 * ones, so a second page's positions continue from the first. Undefined over a page without results.
 */
export function pageLine(reply: Pick<Reply, 'total' | 'first' | 'cards'>): string | undefined {
  const shown = reply.cards.filter((c) => c.type === 'article' || c.type === 'trial').length;
  if (shown === 0) return undefined;
  if (reply.first === undefined || reply.first <= 1)
    return reply.total === undefined ? undefined : resultCount(reply.total);
  const range = `${thousands(reply.first)}–${thousands(reply.first + shown - 1)}`;
  return reply.total === undefined ? `Results ${range}` : `Results ${range} of ${thousands(reply.total)}`;
}

/** The label of the button that fetches the next page (`Reply.more` is its command). */
export const NEXT_PAGE_LABEL = 'Next 5';
