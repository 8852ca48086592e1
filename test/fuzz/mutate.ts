// fast-check arbitraries that mutate recorded JSON and text the way a broken client or an attacker would:
// a value anywhere replaced by any JSON (null, arrays, huge or markup-laden strings), keys dropped, bytes edited.

import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value` (the root is []), depth first, at most `max`. */
function paths(value: Json, max = 400): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: Json, at: (string | number)[]): void => {
    if (out.length >= max) return;
    out.push(at);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...at, i]));
    else if (v !== null && typeof v === 'object')
      for (const [k, item] of Object.entries(v)) walk(item, [...at, k]);
  };
  walk(value, []);
  return out;
}

function setAt(root: Json, at: (string | number)[], value: Json | undefined): Json {
  if (at.length === 0) return value === undefined ? null : value;
  const copy = structuredClone(root);
  let parent: Json = copy;
  for (const key of at.slice(0, -1)) parent = (parent as Record<string, Json>)[key as string] as Json;
  const last = at[at.length - 1] as string;
  const container = parent as Record<string, Json>;
  if (value === undefined) delete container[last];
  else container[last] = value;
  return copy;
}

/** Values that have broken parsers before: markup runs, huge strings, wrong types, prototype keys. */
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.constantFrom<Json>(
    '<p'.repeat(20_000),
    '<at>'.repeat(10_000),
    '&amp;'.repeat(10_000),
    'a '.repeat(30_000),
    '',
    '__proto__',
    'constructor',
    'Infinity',
    'https://attacker.example/x',
    'http://169.254.169.254/',
    [],
    {},
    { __proto__: { polluted: true } } as Json,
  ),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.string({ unit: 'binary', maxLength: 40 }),
);

export interface JsonMutation {
  kind: 'set' | 'delete';
  /** Which path, modulo the number of paths in the document. */
  pick: number;
  value: Json;
}

export const jsonMutations: fc.Arbitrary<JsonMutation[]> = fc.array(
  fc.record({
    kind: fc.constantFrom<'set' | 'delete'>('set', 'set', 'delete'),
    pick: fc.nat(),
    value: nasty,
  }),
  { maxLength: 3 },
);

export function applyJson(seed: Json, mutations: JsonMutation[]): Json {
  let doc = seed;
  for (const m of mutations) {
    const all = paths(doc);
    const at = all[m.pick % all.length] ?? [];
    doc = setAt(doc, at, m.kind === 'delete' && at.length > 0 ? undefined : m.value);
  }
  return doc;
}

export interface TextEdit {
  at: number;
  cut: number;
  insert: string;
}

export const textEdits: fc.Arbitrary<TextEdit[]> = fc.array(
  fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 8 }),
    insert: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('%', '%ZZ', '&', '=', '"', '{', '\u0000'),
    ),
  }),
  { maxLength: 3 },
);

export function applyText(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.cut);
  }
  return out;
}

export type { Json };
