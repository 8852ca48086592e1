// The assistant: a Request's text → Command → Reply, the same for every platform and every button.
// It never throws: every failure becomes a card or a notice the user can act on.

import type { BoardSite, BoardSites } from './board-site';
import { withStatusCaveats } from './caveats';
import { articleCard, trialCard } from './cards';
import type { Clock } from './clock';
import { parseCommand, type Command } from './commands';
import { encodeCursor, type Cursor } from './cursor';
import { formatCitation } from './cite';
import { helpCard } from './help';
import { formatLookupId, type LookupId } from './ids';
import type { Logger } from './logger';
import type { CommandOutcome, Metrics } from './metrics';
import type { EvidenceSource } from './evidence-map';
import { lookupArticles, type LookupDeps } from './lookup';
import { mapReply } from './map-reply';
import type { Assistant, Card, Reply, Request } from './reply';
import { searchReply } from './search';
import { cardsWithSignals, refOf, signalRound, type SignalRound } from './signal-round';
import type { CitationLists, Signals } from './signals';
import { workListReply } from './work-lists';
import { withPublisherWarnings } from './publisher-notices';
import type { ArticleSource, CallOptions, Library, TrialSource } from './sources';
import { siteReply } from './site-reply';
import { trialSearchReply } from './trial-search-reply';
import { trialReply, trialSearchPage } from './trials';
import { INTERNAL_ERROR, sourceProblem, STALE_NOTICE } from './wording';

export interface AssistantDeps {
  /** Absent when offline: every answer then comes from the local library, with a notice. */
  pubmed?: ArticleSource;
  trials?: TrialSource;
  /** Counts for `map <query>`; absent when offline. */
  evidence?: EvidenceSource;
  library: Library;
  /** Citation counts, free copies and publisher notices on article cards; absent: cards without them. */
  signals?: Signals;
  /** "Cited by" and "References" lists; absent where their service is off. */
  citationLists?: CitationLists;
  /** Each channel's board site (`site set …`), with the deployment's default behind it. */
  sites?: BoardSites;
  /** `digest …` commands; absent where no digest store is configured. */
  digests?: { handle(text: string, request: Request): Promise<Reply> };
  /** `watch`, `unwatch`, `list`; absent where no watch ledger is configured. */
  watch?: { handle(verb: 'watch' | 'unwatch' | 'list', text: string, request: Request): Promise<Reply> };
  clock: Clock;
  logger: Logger;
  /** Told once per handled request (platform, command kind, outcome, latency). */
  metrics?: Pick<Metrics, 'command'>;
}

const errorReply = (message: string, hint?: string): Reply => ({
  cards: [hint ? { type: 'error', message, hint } : { type: 'error', message }],
  visibility: 'private',
});

function lookupDeps(deps: AssistantDeps): LookupDeps {
  return { ...(deps.pubmed ? { pubmed: deps.pubmed } : {}), library: deps.library, logger: deps.logger };
}

/**
 * A round for a lookup: PMIDs typed as such are asked for at once, alongside the PubMed fetch. One record
 * asked for by name waits for every round (within the signal deadline), so a publisher's retraction is not
 * left for the next answer.
 */
function lookupRound(deps: AssistantDeps, ids: LookupId[], o: CallOptions, complete: boolean): SignalRound {
  const round = signalRound(deps.signals, o, deps.logger, complete);
  if (ids.every((id) => id.type === 'pmid')) round.start(ids.map((id) => ({ pmid: id.value })));
  return round;
}

async function show(deps: AssistantDeps, ids: LookupId[], o: CallOptions): Promise<Reply> {
  const round = lookupRound(deps, ids, o, true);
  const result = await lookupArticles(lookupDeps(deps), ids, o);
  const cards: Card[] = [];
  const seen = new Set<string>();
  for (const { article } of result.found) {
    if (seen.has(article.pmid)) continue;
    seen.add(article.pmid);
    cards.push(articleCard(article, { detail: 'full', source: result.source, stale: result.stale }));
  }
  for (const missing of result.missing) cards.push({ type: 'error', message: missing.message });
  const signals = await round.finish(result.found.map(({ article }) => refOf(article)));
  const notices = [result.notice, result.stale ? STALE_NOTICE : undefined].filter(Boolean);
  return {
    cards: cardsWithSignals(cards, signals),
    ...(notices.length ? { notice: notices.join('\n') } : {}),
    visibility: 'private',
  };
}

async function oneArticle(deps: AssistantDeps, id: LookupId, o: CallOptions) {
  const result = await lookupArticles(lookupDeps(deps), [id], o);
  return { result, article: result.found[0]?.article, missing: result.missing[0]?.message };
}

async function similar(deps: AssistantDeps, id: LookupId, start: number, o: CallOptions): Promise<Reply> {
  if (!deps.pubmed) return errorReply('Similar articles need PubMed, and paperbot is running offline.');
  // A PMID (what the Similar button carries) goes straight to ELink: fetching the record first would cost a
  // round trip only to learn what ELink's empty answer says too. DOIs and PMCIDs must be resolved first.
  let pmid: string;
  if (id.type === 'pmid') pmid = id.value;
  else {
    const { article, missing, result } = await oneArticle(deps, id, o);
    if (!article) return errorReply(missing ?? `I could not find ${formatLookupId(id)}.`, result.notice);
    pmid = article.pmid;
  }
  const pageSize = 5;
  try {
    const links = await deps.pubmed.similar(pmid, o);
    const page = links.pmids.slice(start, start + pageSize);
    if (page.length === 0)
      return {
        cards: [],
        notice:
          start > 0
            ? 'No more similar articles.'
            : `PubMed lists no similar articles for PMID ${pmid} (or has no such record).`,
        visibility: 'private',
      };
    const round = signalRound(deps.signals, o, deps.logger);
    round.start(page.map((p) => ({ pmid: p })));
    const fetched = await deps.pubmed.fetchArticles(page, { ...o, priority: 'continuation' });
    const signals = await round.finish(fetched.articles.map(refOf));
    const stale = links.stale || fetched.stale;
    // ELink can list records EFetch cannot send (withdrawn, not yet indexed): say so rather than show an
    // empty page, and offer no "More" past a page that showed nothing.
    if (fetched.articles.length === 0)
      return errorReply(
        `PubMed lists ${links.pmids.length === 1 ? 'a similar article' : `${links.pmids.length} similar articles`} for PMID ${pmid}, but could not send ${page.length === 1 ? 'it' : 'these'} just now.`,
        'Please try again in a minute.',
      );
    const unsent = page.length - fetched.articles.length;
    const more =
      start + pageSize < links.pmids.length
        ? `more ${encodeCursor({ kind: 'similar', pmid: pmid, start: start + pageSize })}`
        : undefined;
    return {
      cards: cardsWithSignals(
        fetched.articles.map((a) => articleCard(a, { detail: 'summary', source: 'pubmed', stale })),
        signals,
      ),
      notice: [
        start === 0 ? `Similar to PMID ${pmid}.` : undefined,
        unsent > 0 ? `${unsent} of them could not be loaded from PubMed just now.` : undefined,
        stale ? STALE_NOTICE : undefined,
      ]
        .filter(Boolean)
        .join('\n'),
      ...(more ? { more } : {}),
      ...(start > 0 ? { first: start + 1 } : {}),
      total: links.pmids.length,
      visibility: 'private',
    };
  } catch (error) {
    deps.logger.warn({ err: error }, 'similar failed');
    return errorReply(
      `${sourceProblem(error)} Similar articles are not available right now; please try again in a minute.`,
    );
  }
}

async function works(
  deps: AssistantDeps,
  command: Extract<Command, { kind: 'works' }>,
  o: CallOptions,
): Promise<Reply> {
  // Like "similar": a PMID goes straight to the list; a DOI or PMCID is resolved to its record first.
  if (command.id.type === 'pmid')
    return workListReply(deps, command.list, command.id.value, command.start, o);
  const { article, missing, result } = await oneArticle(deps, command.id, o);
  if (!article)
    return errorReply(missing ?? `I could not find ${formatLookupId(command.id)}.`, result.notice);
  return workListReply(deps, command.list, article.pmid, command.start, o);
}

async function cite(
  deps: AssistantDeps,
  command: Extract<Command, { kind: 'cite' }>,
  o: CallOptions,
): Promise<Reply> {
  const round = lookupRound(deps, [command.id], o, true);
  const { article: found, missing, result } = await oneArticle(deps, command.id, o);
  if (!found) return errorReply(missing ?? `I could not find ${formatLookupId(command.id)}.`, result.notice);
  // A retraction a publisher registered travels with every copy of the citation, as PubMed's does.
  const article = withPublisherWarnings(found, (await round.finish([refOf(found)])).get(found.pmid));
  const reply: Reply = {
    cards: [
      {
        type: 'citation',
        pmid: article.pmid,
        format: command.format,
        text: formatCitation(article, command.format),
      },
    ],
    ...(result.notice ? { notice: result.notice } : {}),
    visibility: 'private',
  };
  // A citation from a copy carries only the warnings that copy knew of.
  return withStatusCaveats(reply, result.source === 'library' || result.stale);
}

async function share(deps: AssistantDeps, id: LookupId, request: Request, o: CallOptions): Promise<Reply> {
  const round = lookupRound(deps, [id], o, true);
  const { article, missing, result } = await oneArticle(deps, id, o);
  if (!article) return errorReply(missing ?? `I could not find ${formatLookupId(id)}.`, result.notice);
  const signals = await round.finish([refOf(article)]);
  return {
    cards: cardsWithSignals(
      [articleCard(article, { detail: 'summary', source: result.source, stale: result.stale })],
      signals,
    ),
    visibility: 'channel',
    sharedBy: request.user,
  };
}

/** A trial card for the channel: the summary card, as a shared article's is, posted for everyone. */
async function shareTrial(
  deps: AssistantDeps,
  nct: string,
  request: Request,
  o: CallOptions,
): Promise<Reply> {
  const reply = await trialReply(deps, nct, o);
  const card = reply.cards[0];
  if (card?.type !== 'trial' || reply.cards.length !== 1) return reply;
  const pubmedLinked = card.publications.filter((p) => p.linkedInPubmed).map((p) => p.pmid);
  const summary = trialCard(card.trial, {
    detail: 'summary',
    source: card.source,
    stale: card.stale,
    pubmedLinked,
  });
  return { ...reply, cards: [summary], visibility: 'channel', sharedBy: request.user };
}

/** The board's site for this request's channel; a store that cannot answer means no site, not no answer. */
async function boardSite(deps: AssistantDeps, request: Request): Promise<BoardSite | undefined> {
  if (!deps.sites) return undefined;
  try {
    return (await deps.sites.get(request.place))?.site;
  } catch (error) {
    deps.logger.warn({ err: error }, 'board site unavailable; answering without distances');
    return undefined;
  }
}

async function more(deps: AssistantDeps, cursor: Cursor, request: Request, o: CallOptions): Promise<Reply> {
  switch (cursor.kind) {
    case 'search':
      return searchReply(deps, cursor.query, o);
    case 'similar':
      return similar(deps, { type: 'pmid', value: cursor.pmid }, cursor.start, o);
    case 'works':
      return workListReply(deps, cursor.list, cursor.pmid, cursor.start, o);
    case 'trials':
      return trialSearchPage(deps, cursor.search, o, cursor.start, await boardSite(deps, request)).catch(
        (error: unknown) =>
          errorReply(`${sourceProblem(error, 'clinicaltrials')} Please try again in a minute.`),
      );
  }
}

async function dispatch(
  deps: AssistantDeps,
  command: Command,
  request: Request,
  o: CallOptions,
): Promise<Reply> {
  switch (command.kind) {
    case 'help':
      return { cards: [helpCard()], visibility: 'private' };
    case 'invalid':
      return errorReply(command.message, command.hint);
    case 'search':
      return searchReply(deps, command.query, o);
    case 'show':
      return show(deps, command.ids, o);
    case 'similar':
      return similar(deps, command.id, command.start, o);
    case 'works':
      return works(deps, command, o);
    case 'cite':
      return cite(deps, command, o);
    case 'share':
      return share(deps, command.id, request, o);
    case 'shareTrial':
      return shareTrial(deps, command.nct, request, o);
    case 'more':
      return more(deps, command.cursor, request, o);
    case 'trial':
      return trialReply(deps, command.text, o, await boardSite(deps, request));
    case 'map':
      return mapReply(deps, command.query, o);
    case 'trial-search':
      return trialSearchReply(deps, command.request, await boardSite(deps, request), o);
    case 'site':
      return siteReply(deps.sites, command.action, request.place);
    case 'digest':
      if (deps.digests) return deps.digests.handle(command.text, request);
      return errorReply(
        'Digest subscriptions are not set up on this paperbot server yet.',
        'Ask your administrator to enable digests.',
      );
    case 'watch':
      if (deps.watch) return deps.watch.handle(command.verb, command.text, request);
      return errorReply('Watching shared cards is not set up on this paperbot server.');
  }
}

export function createAssistant(deps: AssistantDeps): Assistant {
  return {
    async handle(request, options = {}) {
      const started = deps.clock.now();
      const command = parseCommand(request.text, new Date(started).getUTCFullYear());
      const o: CallOptions = {
        priority: 'interactive',
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const report = (outcome: CommandOutcome): void =>
        deps.metrics?.command({
          platform: request.place.platform,
          kind: command.kind,
          outcome,
          ms: deps.clock.now() - started,
        });
      try {
        const reply = withStatusCaveats(await dispatch(deps, command, request, o));
        report(reply.cards.length > 0 && reply.cards.every((c) => c.type === 'error') ? 'error' : 'answered');
        deps.logger.debug(
          {
            platform: request.place.platform,
            kind: command.kind,
            cards: reply.cards.length,
            ms: deps.clock.now() - started,
            text: request.text,
          },
          'answered',
        );
        return reply;
      } catch (error) {
        deps.logger.error(
          { err: error, platform: request.place.platform, kind: command.kind },
          'command failed',
        );
        report('error');
        return errorReply(INTERNAL_ERROR);
      }
    },
  };
}
