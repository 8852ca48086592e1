// What a digest post says about its window's count, once for every platform that draws a digest header.
// The DigestCard itself (what goes in a post) is digest-cards.ts's.

import type { DigestCard } from '../digest-cards';
import { thousands } from './marks';

/** "nothing new", "1 new paper, newest first", "1,234 new papers, newest first". */
export function digestCount(card: Pick<DigestCard, 'count'>): string {
  if (card.count === 0) return 'nothing new';
  return `${thousands(card.count)} new paper${card.count === 1 ? '' : 's'}, newest first`;
}
