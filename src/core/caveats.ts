// The caveat every answer from the local library or a cached copy carries: the status a board acts on
// (retracted? still recruiting?) is only as fresh as that copy. Decided here once, for every command.

import type { Reply } from './reply';

export const ARTICLE_STATUS_CAVEAT =
  'Records from the local library or a cached copy: their retraction status may be out of date.';
export const TRIAL_STATUS_CAVEAT =
  'Studies from the local library or a cached copy: their recruitment status may be out of date.';

/** Whether a notice already tells the reader about status freshness (offline and stale notices do). */
const SAYS_RETRACTION = /retraction/i;
const SAYS_TRIAL_STATUS = /recruitment status|status may be out of date/i;

/** The reply with the caveats its cards call for appended to its notice, each said once. */
export function withStatusCaveats(reply: Reply, citedFromCopy = false): Reply {
  const notice = reply.notice ?? '';
  const add: string[] = [];
  const copied = (card: { source: string; stale: boolean }): boolean =>
    card.source === 'library' || card.stale;
  const articles = citedFromCopy || reply.cards.some((c) => c.type === 'article' && copied(c));
  const trials = reply.cards.some((c) => c.type === 'trial' && copied(c));
  if (articles && !SAYS_RETRACTION.test(notice)) add.push(ARTICLE_STATUS_CAVEAT);
  if (trials && !SAYS_TRIAL_STATUS.test(notice)) add.push(TRIAL_STATUS_CAVEAT);
  if (add.length === 0) return reply;
  return { ...reply, notice: [notice, ...add].filter((n) => n !== '').join('\n') };
}
