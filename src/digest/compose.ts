// Turns a subscription's new PMIDs and the fetched records into the digest message (DigestCard + Reply).
// Which PMIDs are new is ./run.ts's (the ledger); how the card looks on a platform is the adapters'.

import type { Article } from '../core/article';
import { DIGEST_MAX_ENTRIES, digestCard, digestReply, type DigestReply } from '../core/digest-cards';
import type { Reply } from '../core/reply';
import type { FetchedRecords } from './lookup';
import { pubmedWindowUrl } from './window';

/** Records fetched per subscription: the entries shown plus a spare for records PubMed no longer serves. */
export const FETCH_PER_DIGEST = DIGEST_MAX_ENTRIES + 2;

export interface ComposeInput {
  subscriptionId?: string;
  query: { text: string; term: string };
  window: { from: string; to: string };
  /** New PMIDs, in PubMed's order (newest first). */
  pmids: readonly string[];
  /** New papers beyond `pmids` that ESearch did not list (its 10,000 cap). */
  uncounted: number;
  visibility: Reply['visibility'];
}

/**
 * The message, or undefined when a record needed for the entries could not be fetched (PubMed failing):
 * a digest is then retried later rather than posted with holes.
 */
export function composeDigest(input: ComposeInput, records: FetchedRecords): DigestReply | undefined {
  const articles: Article[] = [];
  let stale = false;
  for (const pmid of input.pmids.slice(0, FETCH_PER_DIGEST)) {
    if (articles.length === DIGEST_MAX_ENTRIES) break;
    if (records.failed.has(pmid)) return undefined;
    const article = records.byPmid.get(pmid);
    if (!article) continue; // withdrawn or deleted since ESearch listed it: counted, linked, not shown
    articles.push(article);
    stale ||= records.stale.has(pmid);
  }
  const card = digestCard({
    ...(input.subscriptionId === undefined ? {} : { subscriptionId: input.subscriptionId }),
    query: input.query.text,
    window: input.window,
    count: input.pmids.length + input.uncounted,
    articles,
    searchUrl: pubmedWindowUrl(input.query.term, input.window),
    stale,
  });
  return digestReply(card, input.visibility);
}
