// Which of a study's sites a card names: nearest to a reference point first (haversine on the registry's
// geoPoints), or those the registry's own place search matched by name, or the record's first ones.

import { haversineKm, radiusKm, type DistanceUnit, type GeoPoint, type Radius } from './geo';
import type { Trial, TrialSite } from './trial';

/** What distances are measured from: the board's site, or coordinates typed in near:. */
export interface SiteReference {
  point: GeoPoint;
  name: string;
}

/** Where the card looks from; `place` is a name ClinicalTrials.gov matched (query.locn), with no distance. */
export type SiteLookout =
  { kind: 'point'; reference: SiteReference; radius: Radius } | { kind: 'place'; place: string };

export const SITES_SHOWN = 5;

export type TrialSites =
  | {
      kind: 'distance';
      reference: SiteReference;
      radius: Radius;
      unit: DistanceUnit;
      /** Up to SITES_SHOWN sites that have a geoPoint, nearest first. */
      nearest: { site: TrialSite; km: number }[];
      /** The nearest site whose own status is RECRUITING, when it is not already the nearest. */
      nearestRecruiting?: { site: TrialSite; km: number };
      /** Sites whose own status is RECRUITING within `radius`. */
      recruitingWithin: number;
      total: number;
    }
  | { kind: 'place'; place: string; matched: TrialSite[]; total: number }
  | { kind: 'listed'; sites: TrialSite[]; total: number };

const RECRUITING = 'RECRUITING';

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Every word of the place in the site's city, state or country: "Lyon", "New York", "France". */
function sitePlaceMatches(site: TrialSite, place: string[]): boolean {
  const bag = new Set(words([site.city, site.state, site.country].filter(Boolean).join(' ')));
  return place.length > 0 && place.every((w) => bag.has(w));
}

/**
 * The sites part of a card, or undefined when the record lists none. Without a lookout, recruiting sites come
 * first, otherwise in the record's order.
 */
export function trialSites(trial: Trial, lookout?: SiteLookout): TrialSites | undefined {
  const sites = trial.sites ?? [];
  const total = Math.max(trial.locationCount, sites.length);
  if (sites.length === 0) return undefined;
  if (lookout?.kind === 'place') {
    const place = words(lookout.place);
    const matched = recruitingFirst(sites.filter((s) => sitePlaceMatches(s, place))).slice(0, SITES_SHOWN);
    return { kind: 'place', place: lookout.place, matched, total };
  }
  if (lookout?.kind === 'point') {
    const limitKm = radiusKm(lookout.radius);
    const measured = sites.flatMap((site) =>
      site.geo ? [{ site, km: haversineKm(lookout.reference.point, site.geo) }] : [],
    );
    // Equal distances (one city's geoPoint for all its hospitals): recruiting sites first.
    measured.sort(
      (a, b) => a.km - b.km || Number(b.site.status === RECRUITING) - Number(a.site.status === RECRUITING),
    );
    const nearest = measured.slice(0, SITES_SHOWN);
    const firstRecruiting = measured.find((m) => m.site.status === RECRUITING);
    return {
      kind: 'distance',
      reference: lookout.reference,
      radius: lookout.radius,
      unit: lookout.radius.unit,
      nearest,
      ...(firstRecruiting && firstRecruiting !== measured[0] ? { nearestRecruiting: firstRecruiting } : {}),
      recruitingWithin: measured.filter((m) => m.km <= limitKm && m.site.status === RECRUITING).length,
      total,
    };
  }
  return { kind: 'listed', sites: recruitingFirst(sites).slice(0, SITES_SHOWN), total };
}

/** Recruiting sites first, each group in the record's order. */
function recruitingFirst(sites: TrialSite[]): TrialSite[] {
  return [...sites.filter((s) => s.status === RECRUITING), ...sites.filter((s) => s.status !== RECRUITING)];
}

/** The distance to the nearest site of a study, for ranking results; Infinity when none has a geoPoint. */
export function nearestKm(trial: Trial, point: GeoPoint): number {
  let best = Infinity;
  for (const site of trial.sites ?? []) if (site.geo) best = Math.min(best, haversineKm(point, site.geo));
  return best;
}
