// `site`, `site set <lat>,<lon> <name>`, `site clear`: what the board's site is, and the words for each change.
// Keeping it is board-site.ts's; this module only answers.

import type { BoardSites, BoardSite, SitePlace } from './board-site';
import type { Command } from './commands';
import type { Reply } from './reply';

type SiteAction = Extract<Command, { kind: 'site' }>['action'];

function describe(site: BoardSite): string {
  return `${site.name} (${site.point.lat.toFixed(4)}, ${site.point.lon.toFixed(4)})`;
}

const USE =
  'Trial cards measure distances to sites from it, and trial search … near:here searches around it.';

const said = (notice: string): Reply => ({ cards: [], notice, visibility: 'private' });

export async function siteReply(
  sites: BoardSites | undefined,
  action: SiteAction,
  place: SitePlace,
): Promise<Reply> {
  if (!sites)
    return {
      cards: [{ type: 'error', message: 'Board sites are not kept on this paperbot server.' }],
      visibility: 'private',
    };
  if (action.kind === 'set') {
    await sites.set(place, action.site);
    return said(`This channel's site is now ${describe(action.site)}. ${USE}`);
  }
  if (action.kind === 'clear') {
    const had = await sites.clear(place);
    const fallback = await sites.get(place);
    const after = fallback ? ` The deployment's default site applies: ${describe(fallback.site)}.` : '';
    return said(
      `${had ? "This channel's site is cleared." : 'This channel had no site of its own.'}${after}`,
    );
  }
  const current = await sites.get(place);
  if (!current)
    return said(
      'This channel has no site. Set one with: site set 48.8414,2.3400 Institut Curie (latitude,longitude then a name).',
    );
  return said(
    `${current.own ? "This channel's site" : "The deployment's default site"} is ${describe(current.site)}. ${USE}`,
  );
}
