// `map <query>` → a Reply: asks the evidence source for its counts and turns them into one map card.
// Counting is the source's (one search per number); wording is present/evidence-map.ts's.

import type { Clock } from './clock';
import { mapYears, type EvidenceSource, type MapQuery } from './evidence-map';
import type { Logger } from './logger';
import { mapCard } from './present/evidence-map';
import type { Reply } from './reply';
import type { CallOptions } from './sources';
import { sourceProblem } from './wording';

const STALE_COUNTS =
  'Some counts come from a cached copy (at most 30 days old) because PubMed could not be reached just now.';

export interface MapReplyDeps {
  /** Absent when offline: the local library holds too few records for counts that mean anything. */
  evidence?: EvidenceSource;
  clock: Clock;
  logger: Logger;
}

const errorReply = (message: string, hint?: string): Reply => ({
  cards: [hint ? { type: 'error', message, hint } : { type: 'error', message }],
  visibility: 'private',
});

const unavailable = (error: unknown): Reply =>
  errorReply(
    `${sourceProblem(error)} The evidence map is not available right now; please try again in a minute.`,
  );

export async function mapReply(deps: MapReplyDeps, q: MapQuery, o: CallOptions): Promise<Reply> {
  if (!deps.evidence)
    return errorReply(
      'An evidence map counts all of PubMed, and paperbot is running offline.',
      'Run it again when PubMed is reachable.',
    );
  const nowYear = new Date(deps.clock.now()).getUTCFullYear();
  try {
    const counts = await deps.evidence.evidenceCounts(q, mapYears(q, nowYear), o);
    const known = [counts.total, ...counts.levels, ...counts.years].some((c) => c.count !== undefined);
    if (!known) return unavailable(counts.failure);
    const notices = [...counts.notices, counts.stale ? STALE_COUNTS : undefined].filter(Boolean);
    return {
      cards: [mapCard(q, counts, nowYear)],
      ...(notices.length ? { notice: notices.join('\n') } : {}),
      visibility: 'private',
    };
  } catch (error) {
    deps.logger.warn({ err: error }, 'evidence map failed');
    return unavailable(error);
  }
}
