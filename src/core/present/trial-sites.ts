// What a trial card says about its sites: the nearest to the board with distance and the site's own status,
// how many recruit within the radius, and the detail card's list. Distances only from geoPoints, never guessed.

import { distanceLabel, radiusLabel } from '../geo';
import type { TrialCard } from '../reply';
import type { TrialSite } from '../trial';
import { MARKS, thousands, type Ink } from './marks';
import { trialStatus } from './trial-status';

type Fit = Ink['fit'];

/** "Recruiting", "Suspended"; a code the table lacks reads as words; no status says so. */
function siteStatus(site: TrialSite, fit: Fit): string {
  if (!site.status) return 'status not given';
  const known = trialStatus(site.status);
  if (known) return known.label;
  const s = site.status.toLowerCase().replace(/_/g, ' ');
  return fit(s.charAt(0).toUpperCase() + s.slice(1), 60);
}

/** "Centre Léon Bérard, Lyon, France"; the facility alone when the record gives no place. */
export function siteName(site: TrialSite, fit: Fit): string {
  const place = [site.city, site.state && site.state !== site.city ? site.state : undefined, site.country]
    .filter((x): x is string => Boolean(x))
    .map((x) => fit(x, 60));
  const facility = site.facility ? fit(site.facility, 120) : undefined;
  return [facility, ...place].filter(Boolean).join(', ') || 'Unnamed site';
}

function contactLine(site: TrialSite, fit: Fit): string | undefined {
  const c = site.contact;
  if (!c) return undefined;
  const parts = [c.name, c.phone, c.email].filter((x): x is string => Boolean(x)).map((x) => fit(x, 80));
  return parts.length ? `contact: ${parts.join(', ')}` : undefined;
}

const sitesWord = (n: number): string => (n === 1 ? '1 site' : `${thousands(n)} sites`);

/** The lines under a card's details: nearest site and the count within the radius (a summary card's only sites). */
export function nearbyLines(card: TrialCard, ink: Ink): string[] {
  const fit = ink.fit;
  const pin = `${ink.mark(MARKS.site)} `;
  const s = card.sites;
  if (!s) return [];
  if (s.kind === 'place') {
    if (card.detail === 'full') return [];
    const where = `${fit(s.place, 80)} (as ClinicalTrials.gov matches it)`;
    const first = s.matched[0];
    if (!first) return [`${pin}Near ${where}: no site of this record names it; ${sitesWord(s.total)} listed`];
    return [`${pin}Near ${where}: ${siteName(first, fit)} · ${siteStatus(first, fit)}`];
  }
  if (s.kind === 'listed') return [];
  const reference = fit(s.reference.name, 80);
  const count = `${s.recruitingWithin === 0 ? 'No site' : sitesWord(s.recruitingWithin)} ${
    s.recruitingWithin <= 1 ? 'recruits' : 'recruit'
  } within ${radiusLabel(s.radius)} of ${reference}`;
  const nearest = s.nearest[0];
  if (!nearest) return [`${pin}No site of this record has coordinates to measure from ${reference}`];
  const lines = [
    `${pin}Nearest site: ${siteName(nearest.site, fit)} — ${distanceLabel(nearest.km, s.unit)} · ${siteStatus(nearest.site, fit)}`,
  ];
  if (s.nearestRecruiting)
    lines.push(
      `Nearest recruiting: ${siteName(s.nearestRecruiting.site, fit)} — ${distanceLabel(s.nearestRecruiting.km, s.unit)}`,
    );
  lines.push(count);
  return card.detail === 'full' ? [`${pin}${count}`] : lines;
}

/** The detail card's list: up to five sites (nearest first when there is a reference), then how many more. */
export function siteList(card: TrialCard, fit: Fit): { heading: string; items: string[] } | undefined {
  const s = card.sites;
  if (!s || card.detail !== 'full') return undefined;
  const line = (site: TrialSite, km?: number): string =>
    [
      siteName(site, fit),
      km === undefined || s.kind !== 'distance' ? undefined : distanceLabel(km, s.unit),
      siteStatus(site, fit),
      contactLine(site, fit),
    ]
      .filter(Boolean)
      .join(' — ');
  const shown =
    s.kind === 'distance'
      ? s.nearest.map((n) => line(n.site, n.km))
      : (s.kind === 'place' ? s.matched : s.sites).map((site) => line(site));
  if (shown.length === 0) return undefined;
  const more = s.total - shown.length;
  const heading =
    s.kind === 'distance'
      ? `Sites nearest ${fit(s.reference.name, 80)}`
      : s.kind === 'place'
        ? `Sites in ${fit(s.place, 80)} (as ClinicalTrials.gov matches it)`
        : 'Sites';
  const tail = more === 1 ? 'and 1 more site' : `and ${thousands(more)} more sites`;
  return { heading, items: [...shown, ...(more > 0 ? [tail] : [])] };
}
