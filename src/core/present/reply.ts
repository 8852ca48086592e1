// What a reply says around its cards: the notification line, the result count, the next-page button.
// Every platform shows these; only where and how is theirs.

import type { Card } from '../reply';
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

/** The label of the button that fetches the next page (`Reply.more` is its command). */
export const NEXT_PAGE_LABEL = 'Next 5';
