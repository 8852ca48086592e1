// `trial search …` → a page of trial cards: near:here becomes the board's site, near:<lat>,<lon> a radius
// around it, near:<city> the registry's place search; ClinicalTrials.gov first, the local library when it fails.

import type { BoardSite } from './board-site';
import type { TrialSearch } from './query';
import type { Reply } from './reply';
import type { CallOptions } from './sources';
import { DEFAULT_RADIUS, type TrialSearchRequest } from './trial-search';
import { fromLibrary, trialSearchPage, type TrialDeps } from './trials';
import { sourceProblem } from './wording';

export const NO_BOARD_SITE = 'This channel has no site yet, so near:here has nothing to search around.';
export const NO_BOARD_SITE_HINT = 'Set it once for the channel: site set 48.8414,2.3400 Institut Curie';

/** The search with its place resolved, or why it cannot be. */
export function resolveTrialSearch(
  request: TrialSearchRequest,
  board: BoardSite | undefined,
): TrialSearch | { message: string; hint: string } {
  const search: TrialSearch = { ...request.search };
  const near = request.near;
  const radius = request.within ?? DEFAULT_RADIUS;
  if (near?.kind === 'here') {
    if (!board) return { message: NO_BOARD_SITE, hint: NO_BOARD_SITE_HINT };
    search.near = { point: board.point, radius };
  } else if (near?.kind === 'point') search.near = { point: near.point, radius };
  else if (near?.kind === 'place') search.place = near.text;
  return search;
}

export async function trialSearchReply(
  deps: TrialDeps,
  request: TrialSearchRequest,
  board: BoardSite | undefined,
  o: CallOptions,
): Promise<Reply> {
  const search = resolveTrialSearch(request, board);
  if ('message' in search) return { cards: [{ type: 'error', ...search }], visibility: 'private' };
  try {
    return await trialSearchPage(deps, search, o, 0, board);
  } catch (error) {
    deps.logger.warn({ err: error }, 'clinicaltrials search failed; answering from the library');
    return fromLibrary(deps, { kind: 'search', search }, sourceProblem(error, 'clinicaltrials'), board);
  }
}
