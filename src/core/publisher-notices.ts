// Publisher notices (from a signal service) that must be as prominent as PubMed's own: a retraction,
// withdrawal or expression of concern becomes a Notice on the record, so the card's warnings, the Retracted
// badge and every citation export carry it, with the service that reported it named.

import type { Article, Notice } from './article';
import { signalServiceLabel } from './present/signals';
import type { ArticleSignals, PublisherNotice } from './signals';

const WARNING_TYPES: Readonly<Partial<Record<PublisherNotice['type'], Notice['type']>>> = {
  retraction: 'retraction',
  withdrawal: 'retraction',
  'expression-of-concern': 'expression-of-concern',
};

/** "Publisher retraction notice via Crossref, 2021, doi:10.1/x": who said it, through which service, when. */
function noticeSource(n: PublisherNotice): string {
  const who = n.registeredBy === 'retraction-watch' ? 'Retraction Watch' : 'Publisher';
  const what = n.type === 'withdrawal' ? 'withdrawal notice' : 'notice';
  return [`${who} ${what} via ${signalServiceLabel(n.service)}`, n.date?.slice(0, 4), n.doi && `doi:${n.doi}`]
    .filter(Boolean)
    .join(', ');
}

/** The record's warnings the signals add (corrections stay on the signal line). */
export function publisherWarnings(signals: ArticleSignals | undefined): Notice[] {
  const out: Notice[] = [];
  for (const n of signals?.publisherNotices ?? []) {
    const type = WARNING_TYPES[n.type];
    if (type) out.push({ type, about: 'this', source: noticeSource(n) });
  }
  return out;
}

/** The record with its publisher warnings added: a publisher retraction marks it retracted. */
export function withPublisherWarnings<T extends Pick<Article, 'notices' | 'retracted'>>(
  record: T,
  signals: ArticleSignals | undefined,
): T {
  const added = publisherWarnings(signals);
  if (added.length === 0) return record;
  return {
    ...record,
    notices: [...record.notices, ...added],
    retracted: record.retracted || added.some((n) => n.type === 'retraction'),
  };
}
