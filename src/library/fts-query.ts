// Translates what a user types in PubMed syntax (field tags, AND/OR/NOT, quotes, parentheses, `*`) into
// an FTS5 MATCH expression that can never raise a syntax error. Which columns a tag means is the caller's.

/** How a field tag applies to its term: these columns, a ready FTS5 expression, or drop the term. */
export type TagResolution = { columns: readonly string[] } | { expression: string } | null;

export interface FtsQueryOptions {
  /** Columns a term without a (known) field tag searches; every column when absent (the fastest). */
  columns?: readonly string[];
  /**
   * The meaning of a field tag (lower-cased, without brackets or `:~n` suffix) for a term's text.
   * `undefined` (unknown tag) searches the default columns, as if the tag were absent.
   */
  resolveTag?(tag: string, text: string): TagResolution | undefined;
  /** An expression every row matches; lets a leading NOT ("NOT review[pt]") mean "everything but". */
  everything?: string;
}

export interface FtsMatch {
  /** Every implicit conjunction ("lung cancer") as AND: what PubMed would require. */
  all: string;
  /**
   * Progressively looser expressions to try, in order, when `all` finds nothing: for a plain list of
   * terms, any n-1 of the n, then n-2 … then any one; otherwise implicit conjunctions loosened to OR.
   * Empty when nothing can be loosened.
   */
  relaxed: string[];
  /**
   * The items of a plain list of terms (what `relaxed` takes k of n from), each as an expression; absent
   * for other queries. A caller that finds an item matching no record at all can leave it out with anyOf.
   */
  parts?: string[];
}

type Op = 'AND' | 'OR' | 'NOT';
type Node =
  | { kind: 'leaf'; expression: string }
  | { kind: 'op'; op: Op; left: Node; right: Node }
  | { kind: 'implicit'; items: Node[] }
  | { kind: 'everything' };
type Token =
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'op'; op: Op }
  | { kind: 'term'; text: string; phrase: boolean; tag?: string };

/** Bounds that keep a hostile or pasted query from becoming an expensive one. */
const MAX_INPUT = 2000;
const MAX_TERMS = 64;
const MAX_DEPTH = 16;
const MIN_PREFIX = 3;
/** "k of n" relaxation spells out every k-subset; past this many terms it would be too long. */
const MAX_RELAXED_TERMS = 6;

/** Words PubMed ignores when they stand alone; requiring them would only lose records. */
const STOP_WORDS = new Set(
  'a an and are as at be been but by for from had has have in into is it its of on or that the their these this to was were which with'.split(
    ' ',
  ),
);
const SEARCHABLE = /[\p{L}\p{N}]/u;

function lex(input: string): Token[] {
  // Control characters have no business in a query; private-use characters are reserved for the
  // callers' own facet tokens, which user text must never be able to name.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  const text = input.slice(0, MAX_INPUT).replace(/[\u0000-\u001f\u007f\p{Co}]/gu, ' ');
  const tokens: Token[] = [];
  let i = 0;
  const readTag = (): string | undefined => {
    let j = i;
    while (text[j] === ' ') j += 1;
    if (text[j] !== '[') return undefined;
    const end = text.indexOf(']', j + 1);
    const raw = text.slice(j + 1, end === -1 ? text.length : end);
    i = end === -1 ? text.length : end + 1;
    return raw.split(':')[0]?.trim().toLowerCase();
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i += 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i += 1;
    } else if (c === '[') {
      readTag(); // a tag with no term before it says nothing
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const phrase = text.slice(i + 1, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end + 1;
      const tag = readTag();
      tokens.push(
        tag === undefined
          ? { kind: 'term', text: phrase, phrase: true }
          : { kind: 'term', text: phrase, phrase: true, tag },
      );
    } else {
      let j = i;
      while (j < text.length && !' \t()["'.includes(text[j] as string)) j += 1;
      const word = text.slice(i, j);
      i = j;
      if (word === 'AND' || word === 'OR' || word === 'NOT') {
        tokens.push({ kind: 'op', op: word });
        continue;
      }
      const tag = readTag();
      if (tag === undefined) {
        tokens.push({ kind: 'term', text: word, phrase: false });
        continue;
      }
      // As in PubMed, a tag covers the whole run of bare words before it: "N Engl J Med[ta]",
      // "carcinoma, non-small-cell lung[mh]". A phrase, an operator or another tag ends the run.
      for (let k = tokens.length - 1; k >= 0; k -= 1) {
        const previous = tokens[k] as Token;
        if (previous.kind !== 'term' || previous.phrase || previous.tag !== undefined) break;
        previous.tag = tag;
      }
      tokens.push({ kind: 'term', text: word, phrase: false, tag });
    }
  }
  return tokens;
}

/** An FTS5 string literal: the only way user text enters the expression. */
export function ftsString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function columnFilter(columns: readonly string[]): string {
  return `{${columns.join(' ')}}`;
}

class Parser {
  private position = 0;
  private terms = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly options: FtsQueryOptions,
  ) {}

  parse(): Node | undefined {
    return this.sequence(0);
  }

  /** Reads until the matching `)` (or the end) and folds Booleans left to right, as PubMed does. */
  private sequence(depth: number): Node | undefined {
    const groups: Node[][] = [[]];
    const ops: Op[] = [];
    while (this.position < this.tokens.length) {
      const token = this.tokens[this.position] as Token;
      this.position += 1;
      if (token.kind === 'close') {
        if (depth > 0) break;
        continue; // an unbalanced `)`: ignore it and read on
      }
      if (token.kind === 'op') {
        ops.push(token.op);
        groups.push([]);
      } else if (token.kind === 'open') {
        const inner = this.sequence(depth + 1);
        if (inner !== undefined && depth < MAX_DEPTH) groups[groups.length - 1]?.push(inner);
      } else {
        const leaf = this.term(token);
        if (leaf !== undefined) groups[groups.length - 1]?.push(leaf);
      }
    }
    return this.fold(groups, ops);
  }

  private fold(groups: Node[][], ops: Op[]): Node | undefined {
    let result: Node | undefined;
    let pending: Op | undefined;
    for (let g = 0; g < groups.length; g += 1) {
      const items = groups[g] as Node[];
      if (g > 0) pending = ops[g - 1];
      if (items.length === 0) continue; // a doubled, leading or trailing operator: the next one wins
      const node: Node = items.length === 1 ? (items[0] as Node) : { kind: 'implicit', items };
      if (result === undefined) {
        if (pending === 'NOT') {
          if (this.options.everything !== undefined)
            result = { kind: 'op', op: 'NOT', left: { kind: 'everything' }, right: node };
          // Without an "everything" expression a bare NOT cannot be said in FTS5: drop what it negates.
        } else {
          result = node;
        }
      } else {
        result = { kind: 'op', op: pending ?? 'AND', left: result, right: node };
      }
      pending = undefined;
    }
    return result;
  }

  private term(token: Extract<Token, { kind: 'term' }>): Node | undefined {
    if (this.terms >= MAX_TERMS) return undefined;
    let text = token.text.trim();
    let prefix = false;
    if (!token.phrase) {
      prefix = text.endsWith('*');
      text = text.replace(/\*/g, ' ').trim();
      if (STOP_WORDS.has(text.toLowerCase())) return undefined;
    }
    if (!SEARCHABLE.test(text)) return undefined;
    // PubMed truncation needs a few characters; a short prefix would expand to half the vocabulary.
    if (prefix && (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_PREFIX) prefix = false;

    let columns: readonly string[] | undefined = this.options.columns;
    if (token.tag !== undefined) {
      const resolution = this.options.resolveTag?.(token.tag, text);
      if (resolution === null) return undefined;
      if (resolution !== undefined && 'expression' in resolution) {
        this.terms += 1;
        return { kind: 'leaf', expression: resolution.expression };
      }
      if (resolution !== undefined && resolution.columns.length > 0) columns = resolution.columns;
    }
    this.terms += 1;
    const filter = columns === undefined ? '' : `${columnFilter(columns)} : `;
    return { kind: 'leaf', expression: `${filter}${ftsString(text)}${prefix ? ' *' : ''}` };
  }
}

/** Loosening only applies where a term counts for a record: under NOT's right side OR would narrow. */
function render(node: Node, joiner: 'AND' | 'OR', everything: string): string {
  switch (node.kind) {
    case 'leaf':
      return node.expression;
    case 'everything':
      return everything;
    case 'op': {
      const right = render(node.right, node.op === 'NOT' ? 'AND' : joiner, everything);
      return `(${render(node.left, joiner, everything)} ${node.op} ${right})`;
    }
    case 'implicit':
      return `(${node.items.map((item) => render(item, joiner, everything)).join(` ${joiner} `)})`;
  }
}

function loosens(node: Node): boolean {
  if (node.kind === 'implicit') return true;
  return node.kind === 'op' && (loosens(node.left) || (node.op !== 'NOT' && loosens(node.right)));
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i <= items.length - size; i += 1) {
    for (const rest of subsets(items.slice(i + 1), size - 1)) out.push([items[i] as T, ...rest]);
  }
  return out;
}

/** "Any `size` of these expressions": every subset spelled out, so it only suits a few items. */
export function anyOf(parts: readonly string[], size: number): string {
  return `(${subsets(parts, size)
    .map((s) => (s.length === 1 ? s[0] : `(${s.join(' AND ')})`))
    .join(' OR ')})`;
}

function listItems(tree: Node, everything: string): string[] | undefined {
  if (tree.kind !== 'implicit' || tree.items.length > MAX_RELAXED_TERMS) return undefined;
  return tree.items.map((item) => render(item, 'AND', everything));
}

function relaxations(tree: Node, everything: string): string[] {
  const parts = listItems(tree, everything);
  if (parts !== undefined) {
    const out: string[] = [];
    for (let size = parts.length - 1; size >= 1; size -= 1) out.push(anyOf(parts, size));
    return out;
  }
  return loosens(tree) ? [render(tree, 'OR', everything)] : [];
}

/**
 * The FTS5 expression for a PubMed-style query, or undefined when nothing in it is searchable
 * (empty, only punctuation, only stop words, only a NOT without an "everything" expression).
 */
/**
 * The searchable terms of a query as the user typed them (each with its field tag), operators and stop
 * words left out: what a relaxed search may have dropped, each one searchable on its own.
 */
export function queryTerms(input: string): string[] {
  const terms: string[] = [];
  for (const token of lex(input)) {
    if (token.kind !== 'term' || !SEARCHABLE.test(token.text)) continue;
    if (!token.phrase && STOP_WORDS.has(token.text.toLowerCase())) continue;
    const text = token.phrase ? `"${token.text}"` : token.text;
    const term = token.tag === undefined ? text : `${text}[${token.tag}]`;
    if (!terms.includes(term)) terms.push(term);
  }
  return terms;
}

export function toFtsMatch(input: string, options: FtsQueryOptions): FtsMatch | undefined {
  const tree = new Parser(lex(input), options).parse();
  if (tree === undefined) return undefined;
  const everything = options.everything ?? '';
  const parts = listItems(tree, everything);
  return {
    all: render(tree, 'AND', everything),
    relaxed: relaxations(tree, everything),
    ...(parts === undefined ? {} : { parts }),
  };
}
