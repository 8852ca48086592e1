// "Next page" cursors: the whole paging state in the button's command, so any replica can serve it.
// Compact JSON in base64url; a damaged or foreign cursor decodes to undefined, never throws.

import { z } from 'zod';
import type { SearchQuery, TrialSearch } from './query';
import { MAX_RADIUS_KM } from './geo';
import type { TrialStatus } from './trial';
import { MAX_AGE_YEARS } from './trial-search';

export type WorkListKind = 'cited-by' | 'references';

export type Cursor =
  | { kind: 'search'; query: SearchQuery }
  | { kind: 'similar'; pmid: string; start: number }
  /** A "Cited by" or "References" list of one article, from `start`. */
  | { kind: 'works'; list: WorkListKind; pmid: string; start: number }
  /** `start`: how many studies earlier pages showed (ClinicalTrials.gov pages by token, not by offset). */
  | { kind: 'trials'; search: TrialSearch; start?: number };

const PUB_TYPES = ['rct', 'meta', 'sr', 'review', 'guideline', 'trial', 'case'] as const;

const wire = z.union([
  z.object({
    k: z.literal('s'),
    t: z.string().min(1).max(1000),
    y: z.array(z.enum(PUB_TYPES)).max(7),
    a: z.number().int().optional(),
    b: z.number().int().optional(),
    o: z.enum(['relevance', 'date', 'cited']),
    s: z.number().int().min(0).max(9999),
    n: z.number().int().min(1).max(50),
  }),
  z.object({ k: z.literal('m'), p: z.string().regex(/^\d{1,9}$/), s: z.number().int().min(0).max(9999) }),
  z.object({ k: z.literal('c'), p: z.string().regex(/^\d{1,9}$/), s: z.number().int().min(0).max(99_999) }),
  z.object({ k: z.literal('r'), p: z.string().regex(/^\d{1,9}$/), s: z.number().int().min(0).max(99_999) }),
  z.object({
    k: z.literal('t'),
    t: z.string().max(1000).optional(),
    st: z
      .array(z.string().regex(/^[A-Z_]{2,40}$/))
      .max(14)
      .optional(),
    ph: z
      .array(z.string().regex(/^[A-Z0-9_]{2,20}$/))
      .max(6)
      .optional(),
    n: z.number().int().min(1).max(50),
    p: z.string().max(500).optional(),
    s: z.number().int().min(0).max(99999).optional(),
    c: z.string().min(1).max(1000).optional(),
    i: z.string().min(1).max(1000).optional(),
    // near: latitude, longitude, radius and its unit.
    g: z
      .tuple([
        z.number().min(-90).max(90),
        z.number().min(-180).max(180),
        z.number().positive().max(MAX_RADIUS_KM),
        z.enum(['km', 'mi']),
      ])
      .optional(),
    l: z.string().min(1).max(200).optional(),
    a: z.number().int().min(0).max(MAX_AGE_YEARS).optional(),
    x: z.enum(['FEMALE', 'MALE']).optional(),
  }),
]);

function encodeTrials(search: TrialSearch, start: number | undefined): object {
  return {
    ...(start ? { s: start } : {}),
    k: 't',
    ...(search.term !== undefined ? { t: search.term } : {}),
    ...(search.status ? { st: search.status } : {}),
    ...(search.phase ? { ph: search.phase } : {}),
    n: search.pageSize,
    ...(search.pageToken ? { p: search.pageToken } : {}),
    ...(search.cond ? { c: search.cond } : {}),
    ...(search.intr ? { i: search.intr } : {}),
    ...(search.near
      ? {
          g: [
            search.near.point.lat,
            search.near.point.lon,
            search.near.radius.value,
            search.near.radius.unit,
          ],
        }
      : {}),
    ...(search.place ? { l: search.place } : {}),
    ...(search.age !== undefined ? { a: search.age } : {}),
    ...(search.sex ? { x: search.sex } : {}),
  };
}

export function encodeCursor(cursor: Cursor): string {
  const payload =
    cursor.kind === 'search'
      ? {
          k: 's',
          t: cursor.query.terms,
          y: cursor.query.types,
          ...(cursor.query.since !== undefined ? { a: cursor.query.since } : {}),
          ...(cursor.query.until !== undefined ? { b: cursor.query.until } : {}),
          o: cursor.query.sort,
          s: cursor.query.start,
          n: cursor.query.pageSize,
        }
      : cursor.kind === 'similar'
        ? { k: 'm', p: cursor.pmid, s: cursor.start }
        : cursor.kind === 'works'
          ? { k: cursor.list === 'cited-by' ? 'c' : 'r', p: cursor.pmid, s: cursor.start }
          : encodeTrials(cursor.search, cursor.start);
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = wire.safeParse(json);
  if (!parsed.success) return undefined;
  const w = parsed.data;
  if (w.k === 'm') return { kind: 'similar', pmid: w.p, start: w.s };
  if (w.k === 'c' || w.k === 'r')
    return { kind: 'works', list: w.k === 'c' ? 'cited-by' : 'references', pmid: w.p, start: w.s };
  if (w.k === 't') {
    const search: TrialSearch = { pageSize: w.n };
    if (w.t !== undefined) search.term = w.t;
    if (w.st) search.status = w.st as TrialStatus[];
    if (w.ph) search.phase = w.ph;
    if (w.p) search.pageToken = w.p;
    if (w.c) search.cond = w.c;
    if (w.i) search.intr = w.i;
    if (w.g) search.near = { point: { lat: w.g[0], lon: w.g[1] }, radius: { value: w.g[2], unit: w.g[3] } };
    if (w.l) search.place = w.l;
    if (w.a !== undefined) search.age = w.a;
    if (w.x) search.sex = w.x;
    return w.s ? { kind: 'trials', search, start: w.s } : { kind: 'trials', search };
  }
  const query: SearchQuery = { terms: w.t, types: [...w.y], sort: w.o, start: w.s, pageSize: w.n };
  if (w.a !== undefined) query.since = w.a;
  if (w.b !== undefined) query.until = w.b;
  return { kind: 'search', query };
}
