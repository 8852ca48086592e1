// What "new" means: the Entrez-date window of a run, from the last watermark to now, in PubMed's calendar,
// and the PubMed website search that lists the same window. Pure; querying it is ./lookup.ts's.

import { firstWindowMs, nextSlot } from './schedule';
import type { Schedule } from './types';

/**
 * NCBI stamps Entrez dates with its own (US Eastern) calendar day, and mindate/maxdate take whole days. A
 * window therefore starts on the watermark's Eastern day, inclusive: papers added that day before the
 * watermark are queried again, and the per-subscription ledger keeps them from being sent twice.
 */
export const ENTREZ_TIME_ZONE = 'America/New_York';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ENTREZ_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Entrez calendar day of an instant, "YYYY/MM/DD". */
export function entrezDay(atMs: number): string {
  const parts = dayFormat.formatToParts(new Date(atMs));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')}`;
}

export interface DigestWindow {
  /** Entrez days queried, inclusive. */
  from: string;
  to: string;
  /** The instants the window stands for; `endMs` becomes the watermark once delivered. */
  startMs: number;
  endMs: number;
}

/**
 * From the watermark to `nowMs`. Before any success, from a day (a week for weekly digests) before the first
 * slot the subscription had: a first run that comes late, after downtime, still covers every missed slot.
 */
export function digestWindow(
  state: { watermark?: number; schedule: Schedule; createdAt?: number },
  nowMs: number,
): DigestWindow {
  const lookBack = firstWindowMs(state.schedule);
  const firstSlot = state.createdAt === undefined ? nowMs : nextSlot(state.schedule, state.createdAt);
  const startMs = Math.min(state.watermark ?? Math.min(firstSlot, nowMs) - lookBack, nowMs);
  return { from: entrezDay(startMs), to: entrezDay(nowMs), startMs, endMs: nowMs };
}

/** The PubMed website search for `term` restricted to the window, newest first. */
export function pubmedWindowUrl(term: string, window: { from: string; to: string }): string {
  const ranged = `(${term}) AND ("${window.from}"[edat] : "${window.to}"[edat])`;
  return `https://pubmed.ncbi.nlm.nih.gov/?term=${encodeURIComponent(ranged)}&sort=date`;
}
