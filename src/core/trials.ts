// `trial …`: NCT ids, acronyms (KEYNOTE-189) and searches with status:/phase: filters → trial cards,
// from ClinicalTrials.gov first and the local library when it cannot answer.

import type { BoardSite } from './board-site';
import { trialCard } from './cards';
import { encodeCursor } from './cursor';
import { isPaperbotError } from './errors';
import { within, type Clock } from './clock';
import type { Logger } from './logger';
import type { Reply } from './reply';
import type { TrialSearch } from './query';
import type { ArticleSource, CallOptions, Library, TrialSource } from './sources';
import type { Trial } from './trial';
import { acronymKey } from './trial-acronyms';
import { PHASE_HINT, phasesOf, STATUS_ALIASES } from './trial-filters';
import { DEFAULT_RADIUS } from './trial-search';
import type { SiteLookout } from './trial-sites';
import { libraryFallbackNotice, sourceProblem, STALE_NOTICE, TRIALS_OFFLINE } from './wording';

export interface TrialDeps {
  trials?: TrialSource;
  pubmed?: ArticleSource;
  clock: Clock;
  library: Library;
  logger: Logger;
}

const PAGE_SIZE = 5;
/** How long a trial card waits for PubMed's links after ClinicalTrials.gov has answered. */
const LINKS_GRACE_MS = 300;

export type TrialCommand =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'eligibility'; id: string }
  | { kind: 'acronym-or-search'; search: TrialSearch }
  | { kind: 'search'; search: TrialSearch }
  | { kind: 'invalid'; message: string; hint?: string };

/**
 * Trial acronyms mix letters and digits (KEYNOTE-189, IMpower150, "CheckMate 227") or are capitals (PACIFIC).
 * Case matters: "phelan" is a search word, "PACIFIC" is a trial.
 */
function looksLikeAcronym(terms: string[]): boolean {
  const [first, second] = terms;
  if (!first || terms.length > 2) return false;
  if (second !== undefined) return /^[A-Za-z][A-Za-z-]*$/.test(first) && /^\d{1,4}$/.test(second);
  return (
    (/[A-Za-z]/.test(first) && /\d/.test(first) && /^[A-Za-z][\w-]*$/.test(first)) ||
    /^[A-Z][A-Z-]{2,}$/.test(first)
  );
}

export function parseTrialText(text: string): TrialCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0)
    return {
      kind: 'invalid',
      message: '"trial" needs an NCT id, an acronym or search words.',
      hint: 'For example: trial NCT02578680 · trial KEYNOTE-189',
    };
  const [first, second] = words;
  if (words.length === 2 && first && /^nct\d{8}$/i.test(first) && second?.toLowerCase() === 'eligibility')
    return { kind: 'eligibility', id: first.toUpperCase() };
  const ncts = words.filter((w) => /^nct\d+$/i.test(w));
  if (ncts.length === words.length) {
    const bad = ncts.find((w) => !/^nct\d{8}$/i.test(w));
    if (bad)
      return {
        kind: 'invalid',
        message: `"${bad}" is not an NCT id: they have exactly 8 digits, like NCT02578680.`,
      };
    return { kind: 'ids', ids: [...new Set(ncts.map((w) => w.toUpperCase()))] };
  }
  const search: TrialSearch = { pageSize: PAGE_SIZE };
  const terms: string[] = [];
  for (const word of words) {
    const m = /^(status|phase):(.*)$/i.exec(word);
    if (!m) {
      terms.push(word);
      continue;
    }
    const value = (m[2] ?? '').toLowerCase();
    if ((m[1] ?? '').toLowerCase() === 'status') {
      const status = STATUS_ALIASES[value];
      if (!status)
        return {
          kind: 'invalid',
          message: `"${value}" is not a trial status I know.`,
          hint: `Use status: with one of ${Object.keys(STATUS_ALIASES).join(', ')}.`,
        };
      search.status = [...(search.status ?? []), ...status];
    } else {
      const phase = phasesOf(value);
      if (!phase) return { kind: 'invalid', message: `"${value}" is not a phase I know.`, hint: PHASE_HINT };
      search.phase = [...(search.phase ?? []), ...phase];
    }
  }
  if (terms.length === 0)
    return {
      kind: 'invalid',
      message: 'Add words to search trials for, not only filters.',
      hint: 'For example: trial pembrolizumab nsclc status:recruiting',
    };
  search.term = terms.join(' ');
  const acronymLike = !search.status && !search.phase && looksLikeAcronym(terms);
  return { kind: acronymLike ? 'acronym-or-search' : 'search', search };
}

/** PMIDs of articles PubMed links to this trial ([si] = secondary source id). Best effort: never fails the reply. */
async function pubmedLinks(deps: TrialDeps, nct: string, o: CallOptions): Promise<string[]> {
  if (!deps.pubmed) return [];
  try {
    const found = await deps.pubmed.search(
      { terms: `${nct}[si]`, types: [], sort: 'date', start: 0, pageSize: 5 },
      o,
    );
    return found.pmids;
  } catch (error) {
    deps.logger.debug({ err: error, nct }, 'pubmed links for a trial unavailable');
    return [];
  }
}

/** "48.8414, 2.3400": how a point typed in near: is named on cards. */
function pointName(point: { lat: number; lon: number }): string {
  return `${point.lat.toFixed(4)}, ${point.lon.toFixed(4)}`;
}

/**
 * Where cards measure from: near: when the search has it (named after the board when it is the board's
 * point), else the registry's place match, else the board's own site with the default radius.
 */
export function lookoutFor(
  search: TrialSearch | undefined,
  board: BoardSite | undefined,
): SiteLookout | undefined {
  const near = search?.near;
  if (near) {
    const atBoard = board?.point.lat === near.point.lat && board.point.lon === near.point.lon;
    return {
      kind: 'point',
      reference: { point: near.point, name: board && atBoard ? board.name : pointName(near.point) },
      radius: near.radius,
    };
  }
  if (search?.place) return { kind: 'place', place: search.place };
  return board ? { kind: 'point', reference: board, radius: DEFAULT_RADIUS } : undefined;
}

function cardsReply(
  trials: Trial[],
  source: 'clinicaltrials' | 'library',
  stale: boolean,
  detail: 'summary' | 'full',
  lookout?: SiteLookout,
): Reply {
  return {
    cards: trials.map((t) => trialCard(t, { detail, source, stale, ...(lookout ? { lookout } : {}) })),
    visibility: 'private',
  };
}

/** A trial search as the library takes it: the same filters, its own paging. */
function librarySearchOf(search: TrialSearch) {
  return {
    terms: search.term ?? '',
    ...(search.cond ? { cond: search.cond } : {}),
    ...(search.intr ? { intr: search.intr } : {}),
    ...(search.status ? { status: search.status } : {}),
    ...(search.phase ? { phase: search.phase } : {}),
    ...(search.near ? { near: search.near } : {}),
    ...(search.place ? { place: search.place } : {}),
    ...(search.age !== undefined ? { age: search.age } : {}),
    ...(search.sex ? { sex: search.sex } : {}),
    limit: PAGE_SIZE,
  };
}

export function fromLibrary(
  deps: TrialDeps,
  command: TrialCommand,
  problem: string,
  board?: BoardSite,
): Reply {
  let trials: Trial[] = [];
  if (command.kind === 'eligibility') {
    const trial = deps.library.getTrial(command.id);
    const reply = eligibilityReply(trial, command.id, 'library', false);
    reply.notice = libraryFallbackNotice(problem, trial ? 1 : 0);
    return reply;
  }
  if (command.kind === 'ids')
    trials = command.ids.map((id) => deps.library.getTrial(id)).filter((t): t is Trial => !!t);
  else if (command.kind !== 'invalid') {
    trials =
      command.kind === 'acronym-or-search' ? deps.library.findTrialsByAcronym(command.search.term ?? '') : [];
    if (trials.length === 0) trials = deps.library.searchTrials(librarySearchOf(command.search)).trials;
  }
  const lookout = lookoutFor('search' in command ? command.search : undefined, board);
  const reply = cardsReply(trials, 'library', false, trials.length === 1 ? 'full' : 'summary', lookout);
  reply.notice = libraryFallbackNotice(problem, trials.length);
  return reply;
}

/** What a search asked, for "no trials match …": its words and each filter that narrows it. */
export function describeTrialSearch(search: TrialSearch, board?: BoardSite): string {
  const lookout = lookoutFor(search, board);
  return [
    search.term ? `“${search.term}”` : undefined,
    search.cond ? `condition “${search.cond}”` : undefined,
    search.intr ? `drug “${search.intr}”` : undefined,
    search.near && lookout?.kind === 'point'
      ? `within ${search.near.radius.value} ${search.near.radius.unit} of ${lookout.reference.name}`
      : undefined,
    search.place ? `near ${search.place} (as ClinicalTrials.gov matches it)` : undefined,
    search.age !== undefined ? `age ${search.age}` : undefined,
    search.sex ? `open to ${search.sex === 'FEMALE' ? 'women' : 'men'}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

export async function trialSearchPage(
  deps: TrialDeps,
  search: TrialSearch,
  o: CallOptions,
  start = 0,
  board?: BoardSite,
): Promise<Reply> {
  if (!deps.trials) return fromLibrary(deps, { kind: 'search', search }, TRIALS_OFFLINE, board);
  const page = await deps.trials.search(search, o);
  const reply = cardsReply(page.trials, 'clinicaltrials', page.stale, 'summary', lookoutFor(search, board));
  if (page.nextPageToken)
    reply.more = `more ${encodeCursor({
      kind: 'trials',
      search: { ...search, pageToken: page.nextPageToken },
      start: start + page.trials.length,
    })}`;
  if (start > 0 && page.trials.length > 0) reply.first = start + 1;
  if (page.total !== undefined) reply.total = page.total;
  if (page.trials.length === 0)
    reply.notice = search.pageToken
      ? 'No more trials.'
      : `No trials on ClinicalTrials.gov match ${describeTrialSearch(search, board)}.`;
  else if (page.stale) reply.notice = STALE_NOTICE;
  return reply;
}

/** The criteria as written for one study, or the registry's "no such study". */
function eligibilityReply(
  trial: Trial | undefined,
  id: string,
  source: 'clinicaltrials' | 'library',
  stale: boolean,
): Reply {
  return {
    cards: [
      trial
        ? trialCard(trial, { detail: 'full', source, stale, section: 'eligibility' })
        : { type: 'error', message: `ClinicalTrials.gov has no study ${id}.` },
    ],
    visibility: 'private',
    ...(stale ? { notice: STALE_NOTICE } : {}),
  };
}

async function answer(
  deps: TrialDeps & { trials: TrialSource },
  command: Exclude<TrialCommand, { kind: 'invalid' }>,
  o: CallOptions,
  board: BoardSite | undefined,
): Promise<Reply> {
  const lookout = lookoutFor(undefined, board);
  if (command.kind === 'eligibility') {
    const found = await deps.trials.getTrial(command.id, o).catch((error: unknown) => {
      if (isPaperbotError(error) && error.code === 'not_found') return undefined;
      throw error;
    });
    return eligibilityReply(found?.trial, command.id, 'clinicaltrials', found?.stale ?? false);
  }
  if (command.kind === 'ids') {
    const linked =
      command.ids.length === 1 ? pubmedLinks(deps, command.ids[0] as string, o) : Promise.resolve([]);
    const found = await Promise.all(
      command.ids.map((id) =>
        deps.trials.getTrial(id, o).then(
          (r) => ({ id, r }),
          (error: unknown) => {
            if (isPaperbotError(error) && error.code === 'not_found') return { id, r: undefined };
            throw error;
          },
        ),
      ),
    );
    const detail = found.length === 1 ? 'full' : 'summary';
    // PubMed's links are a complement: a slow or unreachable PubMed must not hold the trial card back.
    const pubmedLinked = await within(deps.clock, linked, LINKS_GRACE_MS, [] as string[]);
    const reply: Reply = { cards: [], visibility: 'private' };
    for (const { id, r } of found) {
      if (r)
        reply.cards.push(
          trialCard(r.trial, {
            detail,
            source: 'clinicaltrials',
            stale: r.stale,
            pubmedLinked,
            ...(lookout ? { lookout } : {}),
          }),
        );
      else reply.cards.push({ type: 'error', message: `ClinicalTrials.gov has no study ${id}.` });
    }
    if (found.some((f) => f.r?.stale)) reply.notice = STALE_NOTICE;
    return reply;
  }
  if (command.kind === 'acronym-or-search') {
    const term = command.search.term ?? '';
    // Only a registered acronym identifies a trial; studies that merely mention it go to the paged search.
    const exact = (await deps.trials.findByAcronym(term, o)).filter(
      (t) => t.acronym && acronymKey(t.acronym) === acronymKey(term),
    );
    if (exact.length === 1) return cardsReply(exact, 'clinicaltrials', false, 'full', lookout);
    if (exact.length > 1)
      return cardsReply(exact.slice(0, PAGE_SIZE), 'clinicaltrials', false, 'summary', lookout);
  }
  return trialSearchPage(deps, command.search, o, 0, board);
}

export async function trialReply(
  deps: TrialDeps,
  text: string,
  o: CallOptions,
  board?: BoardSite,
): Promise<Reply> {
  const command = parseTrialText(text);
  if (command.kind === 'invalid')
    return {
      cards: [
        command.hint
          ? { type: 'error', message: command.message, hint: command.hint }
          : { type: 'error', message: command.message },
      ],
      visibility: 'private',
    };
  if (!deps.trials) return fromLibrary(deps, command, TRIALS_OFFLINE, board);
  try {
    return await answer({ ...deps, trials: deps.trials }, command, o, board);
  } catch (error) {
    deps.logger.warn({ err: error }, 'clinicaltrials lookup failed; answering from the library');
    return fromLibrary(deps, command, sourceProblem(error, 'clinicaltrials'), board);
  }
}
