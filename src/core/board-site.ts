// The board's site: the point a channel (a tumor board) measures trial distances from, kept per channel in the
// durable store, with the deployment's PAPERBOT_DEFAULT_SITE behind it. No geocoding: coordinates and a name.

import { parseCoordinates, type GeoPoint } from './geo';
import type { Request } from './reply';
import { storeKey, type DurableStore } from './store';

export interface BoardSite {
  point: GeoPoint;
  /** What the board calls it ("Institut Curie, Paris"); shown, never used to locate anything. */
  name: string;
}

export const MAX_SITE_NAME = 120;

/** "48.8414,2.3400 Institut Curie" → a site; a sentence saying what is wrong otherwise. */
export function parseBoardSite(text: string): BoardSite | string {
  const m = /^\s*(\S+?)(?:\s*,\s*|,)(\S+)\s*(.*)$/.exec(text);
  const point = m ? parseCoordinates(`${m[1]},${m[2]}`) : undefined;
  if (!m || !point)
    return 'A site is latitude,longitude in decimal degrees, then its name: 48.8414,2.3400 Institut Curie';
  const name = (m[3] ?? '').replace(/\s+/g, ' ').trim();
  if (name === '') return 'Give the site a name after its coordinates: 48.8414,2.3400 Institut Curie';
  if (name.length > MAX_SITE_NAME) return `Keep the site's name under ${MAX_SITE_NAME} characters.`;
  return { point, name };
}

/** Where a board site is kept: one per platform, team and channel (the CLI is one place of its own). */
export type SitePlace = Request['place'];

export interface BoardSites {
  /** The channel's own site, else the deployment default, else undefined; `own` says which. */
  get(place: SitePlace): Promise<{ site: BoardSite; own: boolean } | undefined>;
  set(place: SitePlace, site: BoardSite): Promise<void>;
  /** Removes the channel's own site; false when it had none. */
  clear(place: SitePlace): Promise<boolean>;
}

function siteKey(place: SitePlace): string {
  return storeKey('board-site', place.platform, place.team ?? '-', place.channel ?? '-');
}

function isBoardSite(value: unknown): value is BoardSite {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { point?: { lat?: unknown; lon?: unknown }; name?: unknown };
  return (
    typeof v.name === 'string' &&
    typeof v.point === 'object' &&
    v.point !== null &&
    typeof v.point.lat === 'number' &&
    typeof v.point.lon === 'number'
  );
}

export function createBoardSites(store: DurableStore, fallback?: BoardSite): BoardSites {
  return {
    async get(place) {
      const own = await store.get<unknown>(siteKey(place));
      if (isBoardSite(own)) return { site: own, own: true };
      return fallback ? { site: fallback, own: false } : undefined;
    },
    async set(place, site) {
      await store.set(siteKey(place), { point: site.point, name: site.name });
    },
    async clear(place) {
      const key = siteKey(place);
      const had = (await store.get<unknown>(key)) !== undefined;
      if (had) await store.delete(key);
      return had;
    },
  };
}
