// `digest preview`: what a subscription (or a bare query) would post right now, composed exactly as a run
// composes it but at interactive priority, recorded nowhere, and shown only to the asker.

import type { CallOptions } from '../core/sources';
import type { Reply } from '../core/reply';
import { composeDigest, FETCH_PER_DIGEST } from './compose';
import { fetchRecords, searchWindows, searchKey, type DigestPubmed } from './lookup';
import type { DigestStore } from './store';
import type { DigestQuery, Schedule } from './types';
import { digestWindow } from './window';

export interface PreviewSubject {
  subscriptionId?: string;
  query: DigestQuery;
  schedule: Schedule;
  createdAt?: number;
  watermark?: number;
}

export type PreviewResult =
  | { kind: 'digest'; reply: Reply }
  | { kind: 'nothing_new'; from: string }
  | { kind: 'pubmed_failed'; error: unknown };

export async function previewDigest(
  deps: { pubmed: DigestPubmed; store: DigestStore },
  subject: PreviewSubject,
  nowMs: number,
  o: CallOptions = {},
): Promise<PreviewResult> {
  const { schedule, createdAt, watermark } = subject;
  const window = digestWindow(
    {
      schedule,
      ...(createdAt === undefined ? {} : { createdAt }),
      ...(watermark === undefined ? {} : { watermark }),
    },
    nowMs,
  );
  const search = { term: subject.query.term, from: window.from, to: window.to };
  const lookup = { priority: o.priority ?? 'interactive', concurrency: 1 } as const;
  const found = (await searchWindows(deps.pubmed, [search], lookup)).get(searchKey(search));
  if (!found?.ok) return { kind: 'pubmed_failed', error: found?.error };
  const sent =
    subject.subscriptionId === undefined
      ? new Set<string>()
      : await deps.store.sentAmong(subject.subscriptionId, found.pmids);
  const pmids = found.pmids.filter((p) => !sent.has(p));
  const uncounted = Math.max(0, found.total - found.pmids.length);
  if (pmids.length + uncounted === 0) return { kind: 'nothing_new', from: window.from };
  const records = await fetchRecords(deps.pubmed, pmids.slice(0, FETCH_PER_DIGEST), lookup);
  const reply = composeDigest(
    {
      ...(subject.subscriptionId === undefined ? {} : { subscriptionId: subject.subscriptionId }),
      query: subject.query,
      window,
      pmids,
      uncounted,
      visibility: 'private',
    },
    records,
  );
  return reply ? { kind: 'digest', reply } : { kind: 'pubmed_failed', error: records.errors[0] };
}
