// What changed between the status a channel was last told and the source's status now. Pure. Only news is
// reported: a notice that disappears, or a trial's results that vanish, updates the state without a post.

import type { ArticleStatus, ItemStatus, NoticeMark, TrialWatchStatus } from '../core/shares';
import type { Change } from './types';

const markKey = (n: NoticeMark): string => `${n.type}|${n.pmid ?? ''}|${n.source ?? ''}`;

function articleChanges(before: ArticleStatus, after: ArticleStatus): Change[] {
  const known = new Set(before.notices.map(markKey));
  const added = after.notices.filter((n) => !known.has(markKey(n)));
  const changes: Change[] = [];
  if (after.retracted && !before.retracted) {
    const notice =
      added.find((n) => n.type === 'retraction') ?? after.notices.find((n) => n.type === 'retraction');
    changes.push(notice ? { kind: 'retracted', notice } : { kind: 'retracted' });
  }
  for (const notice of added) if (notice.type !== 'retraction') changes.push({ kind: 'notice', notice });
  return changes;
}

function trialChanges(before: TrialWatchStatus, after: TrialWatchStatus): Change[] {
  const changes: Change[] = [];
  // An absent status is "not stated", not a change: the registry answering without one is no news.
  if (after.status !== undefined && after.status !== before.status)
    changes.push({
      kind: 'status',
      ...(before.status ? { from: before.status } : {}),
      to: after.status,
      ...(after.whyStopped ? { whyStopped: after.whyStopped } : {}),
    });
  if (after.hasResults && !before.hasResults) changes.push({ kind: 'results-posted' });
  const known = new Set(before.resultPmids);
  for (const pmid of after.resultPmids)
    if (!known.has(pmid)) changes.push({ kind: 'result-publication', pmid });
  return changes;
}

export function changesBetween(before: ItemStatus, after: ItemStatus): Change[] {
  if (before.kind === 'article' && after.kind === 'article') return articleChanges(before, after);
  if (before.kind === 'trial' && after.kind === 'trial') return trialChanges(before, after);
  return [];
}

/** Same status, as the store compares values: by JSON text of the canonical shape. */
export function sameStatus(a: ItemStatus, b: ItemStatus): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(s: ItemStatus): unknown {
  if (s.kind === 'article') return [s.kind, s.retracted, s.notices.map(markKey).sort()];
  return [s.kind, s.status ?? null, s.whyStopped ?? null, s.hasResults, [...s.resultPmids].sort()];
}
