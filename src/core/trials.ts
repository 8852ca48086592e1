// `trial …`: NCT ids, acronyms (KEYNOTE-189) and searches with status:/phase: filters → trial cards,
// from ClinicalTrials.gov first and the local library when it cannot answer.

import { trialCard } from './cards';
import { encodeCursor } from './cursor';
import { isPaperbotError } from './errors';
import { within, type Clock } from './clock';
import type { Logger } from './logger';
import type { Reply } from './reply';
import type { TrialSearch } from './query';
import type { ArticleSource, CallOptions, Library, TrialSource } from './sources';
import type { Trial, TrialStatus } from './trial';
import { acronymKey } from './trial-acronyms';
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

const STATUS_ALIASES: Record<string, TrialStatus[]> = {
  recruiting: ['RECRUITING'],
  open: ['RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION'],
  'not-yet-recruiting': ['NOT_YET_RECRUITING'],
  active: ['ACTIVE_NOT_RECRUITING'],
  completed: ['COMPLETED'],
  terminated: ['TERMINATED'],
  withdrawn: ['WITHDRAWN'],
  suspended: ['SUSPENDED'],
};
const PHASE_ALIASES: Record<string, string[]> = {
  '0': ['EARLY_PHASE1'],
  '1': ['PHASE1'],
  '2': ['PHASE2'],
  '3': ['PHASE3'],
  '4': ['PHASE4'],
  '1/2': ['PHASE1', 'PHASE2'],
  '2/3': ['PHASE2', 'PHASE3'],
};

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
      const phase = PHASE_ALIASES[value.replace(/^phase/, '')];
      if (!phase)
        return {
          kind: 'invalid',
          message: `"${value}" is not a phase I know.`,
          hint: 'Use phase:1, phase:2, phase:3, phase:4, phase:1/2 or phase:2/3.',
        };
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

function cardsReply(
  trials: Trial[],
  source: 'clinicaltrials' | 'library',
  stale: boolean,
  detail: 'summary' | 'full',
): Reply {
  return { cards: trials.map((t) => trialCard(t, { detail, source, stale })), visibility: 'private' };
}

function fromLibrary(deps: TrialDeps, command: TrialCommand, problem: string): Reply {
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
    if (trials.length === 0)
      trials = deps.library.searchTrials({
        terms: command.search.term ?? '',
        ...(command.search.status ? { status: command.search.status } : {}),
        ...(command.search.phase ? { phase: command.search.phase } : {}),
        limit: PAGE_SIZE,
      }).trials;
  }
  const reply = cardsReply(trials, 'library', false, trials.length === 1 ? 'full' : 'summary');
  reply.notice = libraryFallbackNotice(problem, trials.length);
  return reply;
}

export async function trialSearchPage(
  deps: TrialDeps,
  search: TrialSearch,
  o: CallOptions,
  start = 0,
): Promise<Reply> {
  if (!deps.trials) return fromLibrary(deps, { kind: 'search', search }, TRIALS_OFFLINE);
  const page = await deps.trials.search(search, o);
  const reply = cardsReply(page.trials, 'clinicaltrials', page.stale, 'summary');
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
      : `No trials on ClinicalTrials.gov match “${search.term}”.`;
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
): Promise<Reply> {
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
          trialCard(r.trial, { detail, source: 'clinicaltrials', stale: r.stale, pubmedLinked }),
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
    if (exact.length === 1) return cardsReply(exact, 'clinicaltrials', false, 'full');
    if (exact.length > 1) return cardsReply(exact.slice(0, PAGE_SIZE), 'clinicaltrials', false, 'summary');
  }
  return trialSearchPage(deps, command.search, o);
}

export async function trialReply(deps: TrialDeps, text: string, o: CallOptions): Promise<Reply> {
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
  if (!deps.trials) return fromLibrary(deps, command, TRIALS_OFFLINE);
  try {
    return await answer({ ...deps, trials: deps.trials }, command, o);
  } catch (error) {
    deps.logger.warn({ err: error }, 'clinicaltrials lookup failed; answering from the library');
    return fromLibrary(deps, command, sourceProblem(error, 'clinicaltrials'));
  }
}
