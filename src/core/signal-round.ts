// When an answer asks for signals and how they reach its cards: started as soon as the PMIDs are known,
// alongside the PubMed fetch, and collected when the records are in (never an error, never past the
// combiner's deadline). Which services answer, and how their answers merge, is src/signals/'s.

import type { Logger } from './logger';
import { withPublisherWarnings } from './publisher-notices';
import type { Action, ArticleCard, Card } from './reply';
import type { ArticleRef, ArticleSignals, Signals } from './signals';
import type { CallOptions } from './sources';

export type SignalMap = ReadonlyMap<string, ArticleSignals>;

const NONE: SignalMap = new Map();

export interface SignalRound {
  /** Asks for these articles' signals, once per round (later calls are ignored). */
  start(refs: readonly ArticleRef[]): void;
  /**
   * The rest of the answer is ready: the signals that arrived. Starts the round with `refs` when nothing
   * started it (a search answered from a call already in flight, the local library).
   */
  finish(refs: readonly ArticleRef[]): Promise<SignalMap>;
}

/** `complete`: wait for every round the deadline allows (a citation export), not only the first. */
export function signalRound(
  signals: Signals | undefined,
  o: CallOptions,
  logger: Logger,
  complete = false,
): SignalRound {
  let pending: Promise<SignalMap> | undefined;
  let markReady: (refs: readonly ArticleRef[]) => void = () => undefined;
  const ready = new Promise<readonly ArticleRef[]>((resolve) => (markReady = resolve));
  const start = (refs: readonly ArticleRef[]): void => {
    if (!signals || pending || refs.length === 0) return;
    pending = signals
      .signalsFor(refs, { ...o, ready, ...(complete ? { complete } : {}) })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'signals failed; cards shown without them');
        return NONE;
      });
  };
  return {
    start,
    async finish(refs) {
      start(refs);
      markReady(refs);
      return pending ?? NONE;
    },
  };
}

export function refOf(card: Pick<ArticleCard, 'pmid' | 'doi' | 'pmcid'>): ArticleRef {
  return {
    pmid: card.pmid,
    ...(card.doi ? { doi: card.doi } : {}),
    ...(card.pmcid ? { pmcid: card.pmcid } : {}),
  };
}

/**
 * "Cited by" when someone cites it and "References" when the service holds its reference list: the lists
 * behind them, before "Share". A button is added once, however often signals reach the card.
 */
function listActions(card: ArticleCard, signals: ArticleSignals): Action[] {
  const wanted: Action[] = [];
  if ((signals.citedBy?.count ?? 0) > 0)
    wanted.push({ id: 'cited-by', label: 'Cited by', command: `cited-by ${card.pmid}` });
  if (signals.references)
    wanted.push({ id: 'references', label: 'References', command: `references ${card.pmid}` });
  const added = wanted.filter((w) => !card.actions.some((a) => a.id === w.id));
  if (added.length === 0) return card.actions;
  const share = card.actions.findIndex((a) => a.id === 'share');
  return share < 0
    ? [...card.actions, ...added]
    : [...card.actions.slice(0, share), ...added, ...card.actions.slice(share)];
}

/** The card with its signals; a publisher retraction also lands in its warnings and its badge. */
export function withSignals(card: ArticleCard, signals: ArticleSignals | undefined): ArticleCard {
  if (!signals) return card;
  return { ...withPublisherWarnings(card, signals), signals, actions: listActions(card, signals) };
}

export function articleRefs(cards: readonly Card[]): ArticleRef[] {
  return cards.filter((c): c is ArticleCard => c.type === 'article').map(refOf);
}

/** Every article card of `cards` with its signals. */
export function cardsWithSignals(cards: readonly Card[], signals: SignalMap): Card[] {
  return cards.map((c) => (c.type === 'article' ? withSignals(c, signals.get(c.pmid)) : c));
}

/** Most cited first; cards without a count keep their order after those with one (a stable sort). */
export function byCitations(cards: readonly Card[]): Card[] {
  const count = (c: Card): number | undefined =>
    c.type === 'article' ? c.signals?.citedBy?.count : undefined;
  return cards
    .map((card, index) => ({ card, index, n: count(card) }))
    .sort((a, b) =>
      a.n !== undefined && b.n !== undefined
        ? b.n - a.n || a.index - b.index
        : a.n !== undefined
          ? -1
          : b.n !== undefined
            ? 1
            : a.index - b.index,
    )
    .map((x) => x.card);
}
