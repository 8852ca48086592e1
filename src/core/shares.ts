// What a share put in a channel, as the watcher remembers it: the item, the message, who and when, and the
// status the card showed (retraction and notices; a trial's status and results). The ShareLedger port. Pure.

import type { Evidence, Notice, NoticeType } from './article';
import type { Platform, Reply } from './reply';
import type { Trial, TrialStatus } from './trial';

export type WatchedItem = { kind: 'article'; id: string } | { kind: 'trial'; id: string };

/** Notices about the record itself that change what a reader makes of it; comments and republications do not. */
const WATCHED_NOTICES: ReadonlySet<NoticeType> = new Set<NoticeType>([
  'retraction',
  'expression-of-concern',
  'erratum',
  'update',
]);

/** One notice as the source links it: the notice's own PMID when PubMed gives one, else its citation text. */
export interface NoticeMark {
  type: NoticeType;
  pmid?: string;
  source?: string;
}

export interface ArticleStatus {
  kind: 'article';
  retracted: boolean;
  notices: NoticeMark[];
}

export interface TrialWatchStatus {
  kind: 'trial';
  /** Absent when the registry gives none: never guessed. */
  status?: TrialStatus;
  whyStopped?: string;
  hasResults: boolean;
  /** PMIDs the registry lists as RESULT publications. */
  resultPmids: string[];
}

export type ItemStatus = ArticleStatus | TrialWatchStatus;

export function articleStatus(article: { retracted: boolean; notices: readonly Notice[] }): ArticleStatus {
  const notices: NoticeMark[] = [];
  for (const n of article.notices) {
    if (n.about !== 'this' || !WATCHED_NOTICES.has(n.type)) continue;
    notices.push({
      type: n.type,
      ...(n.pmid ? { pmid: n.pmid } : {}),
      ...(n.source ? { source: n.source } : {}),
    });
  }
  return { kind: 'article', retracted: article.retracted, notices };
}

export function trialStatus(
  trial: Pick<Trial, 'status' | 'whyStopped' | 'hasResults' | 'references'>,
): TrialWatchStatus {
  const resultPmids = trial.references.flatMap((r) => (r.type === 'RESULT' && r.pmid ? [r.pmid] : []));
  return {
    kind: 'trial',
    ...(trial.status ? { status: trial.status } : {}),
    ...(trial.whyStopped ? { whyStopped: trial.whyStopped } : {}),
    hasResults: trial.hasResults,
    resultPmids: [...new Set(resultPmids)],
  };
}

/** One post of a shared card into a channel. */
export interface ShareRecord {
  platform: Platform;
  /** Slack team id or Teams tenant id, where the platform has one. */
  team?: string;
  channel: string;
  /** The post's id: Slack ts, Teams activity id. Threads and banners hang on it. */
  messageId: string;
  item: WatchedItem;
  /** Plain title, for lists. */
  title: string;
  by: { id: string; name?: string };
  at: number;
  status: ItemStatus;
  /** What the reading list groups and cites by, as the card had it. */
  facts: ShareFacts;
}

/** Absent fields were absent on the card. */
export interface ShareFacts {
  evidence?: Evidence;
  authors?: string[];
  journal?: string;
  year?: string;
  citation?: string;
  doi?: string;
  phases?: string[];
}

/** Where shares are remembered (src/watch/ledger.ts). Adapters call it after the post went out. */
export interface ShareLedger {
  record(share: ShareRecord): Promise<void>;
}

/** What a share reply put in the channel, or undefined for a reply that shares nothing watchable. */
export function sharedItemOf(
  reply: Reply,
): Pick<ShareRecord, 'item' | 'title' | 'status' | 'facts'> | undefined {
  if (reply.visibility !== 'channel') return undefined;
  const card = reply.cards[0];
  if (card?.type === 'article')
    return {
      item: { kind: 'article', id: card.pmid },
      title: card.title,
      status: articleStatus(card),
      facts: {
        evidence: card.evidence,
        authors: card.authors.slice(0, 7),
        ...(card.journal ? { journal: card.journal } : {}),
        ...(card.year ? { year: card.year } : {}),
        ...(card.citation ? { citation: card.citation } : {}),
        ...(card.doi ? { doi: card.doi } : {}),
      },
    };
  if (card?.type === 'trial')
    return {
      item: { kind: 'trial', id: card.trial.nct },
      title: card.trial.briefTitle,
      status: trialStatus(card.trial),
      facts: { phases: card.trial.phases },
    };
  return undefined;
}
