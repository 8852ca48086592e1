// What the watcher says: the thread notice under a share (what changed, the notice's link, the updated card),
// the RETRACTED banner that replaces the shared card, and the private note when a channel is gone.

import type { Article } from '../core/article';
import { articleCard, trialCard } from '../core/cards';
import type { DeliveryProblemKind } from '../core/deliverer';
import { pubmedUrl, trialResultsUrl } from '../core/present/links';
import { TRIAL_STATUS } from '../core/present/trials';
import type { Card, Reply } from '../core/reply';
import type { NoticeMark, ShareRecord } from '../core/shares';
import type { Trial, TrialStatus } from '../core/trial';
import type { Change } from './types';

const NOTICE_NAMES: Partial<Record<NoticeMark['type'], string>> = {
  retraction: 'Retraction notice',
  'expression-of-concern': 'Expression of concern',
  erratum: 'Erratum',
  update: 'Update',
};

/** The notice's PubMed page, or PubMed's citation text for it when it has no PMID. */
function noticeRef(n: NoticeMark): string {
  const url = n.pmid ? pubmedUrl(n.pmid) : undefined;
  if (url) return `PMID ${n.pmid}: ${url}`;
  return n.source ?? 'no link given by PubMed';
}

const statusName = (s: TrialStatus | undefined): string => (s ? (TRIAL_STATUS[s]?.label ?? s) : 'not stated');

function itemName(share: Pick<ShareRecord, 'item'>): string {
  return share.item.kind === 'article' ? `PMID ${share.item.id}` : share.item.id;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** One line per change, strongest first (a retraction leads). */
export function changeLines(share: Pick<ShareRecord, 'item'>, changes: readonly Change[]): string[] {
  const name = itemName(share);
  return changes.map((c) => {
    switch (c.kind) {
      case 'retracted':
        return `⚠️ RETRACTED — ${name} has been retracted.${c.notice ? ` Retraction notice: ${noticeRef(c.notice)}` : ''}`;
      case 'notice': {
        const label = NOTICE_NAMES[c.notice.type] ?? 'Notice';
        const lead = c.notice.type === 'expression-of-concern' ? '⚠️' : '📝';
        return `${lead} ${label} published for ${name} — ${noticeRef(c.notice)}`;
      }
      case 'status':
        return `Status of ${name} changed: ${statusName(c.from)} → ${statusName(c.to)}.${c.whyStopped ? ` Why stopped: ${c.whyStopped}` : ''}`;
      case 'results-posted':
        return `${name} has posted results on ClinicalTrials.gov: ${trialResultsUrl(name)}`;
      case 'result-publication':
        return `${name} lists a new results publication: PMID ${c.pmid} ${pubmedUrl(c.pmid) ?? ''}`.trim();
    }
  });
}

export type Fresh = { kind: 'article'; article: Article } | { kind: 'trial'; trial: Trial };

export function freshCard(fresh: Fresh): Card {
  return fresh.kind === 'article'
    ? articleCard(fresh.article, { detail: 'summary', source: 'pubmed', stale: false })
    : trialCard(fresh.trial, { detail: 'summary', source: 'clinicaltrials', stale: false });
}

/** The reply in the share's thread. */
export function threadNotice(share: ShareRecord, changes: readonly Change[], card: Card): Reply {
  const lines = changeLines(share, changes);
  return {
    notice: [
      `Update on ${itemName(share)}, shared here on ${day(share.at)}:`,
      ...lines,
      'The current card follows.',
    ].join('\n'),
    cards: [card],
    visibility: 'channel',
  };
}

/** What the shared message becomes once its article is retracted: the banner, then the current card. */
export function retractedBanner(share: ShareRecord, card: Card, noticeLine: string | undefined): Reply {
  return {
    notice: [
      `⚠️ RETRACTED — this article was retracted after it was shared here on ${day(share.at)}.`,
      noticeLine,
    ]
      .filter(Boolean)
      .join('\n'),
    cards: [card],
    visibility: 'channel',
    ...(share.by ? { sharedBy: share.by } : {}),
  };
}

const GONE: Record<DeliveryProblemKind, string> = {
  not_found: 'the channel no longer exists, or paperbot can no longer see it',
  forbidden: 'paperbot may no longer post there',
  archived: 'the channel is archived',
  rate_limited: 'the platform refused the post',
  failed: 'the platform refused the post',
};

/** Told privately to whoever shared, when the channel cannot hear about a change any more. */
export function pausedNotice(
  share: ShareRecord,
  problem: DeliveryProblemKind,
  changes: readonly Change[],
): Reply {
  return {
    cards: [
      {
        type: 'error',
        message: `paperbot stopped watching ${itemName(share)} (“${share.title}”) in the channel where you shared it on ${day(share.at)}: ${GONE[problem]}.`,
        hint: [
          ...changeLines(share, changes),
          'Share it again in a channel paperbot can post to, to keep it watched.',
        ].join('\n'),
      },
    ],
    visibility: 'private',
  };
}
