// Text normalisation for PubMed XML: XML-whitespace collapsing and the builder of styled RichText spans.
// Leaves deciding which elements are rich or plain (and entity decoding, the scanner's) to xml-reader.ts.

import type { RichText, Span, SpanStyle } from '../core/article';

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;

/** XML whitespace only: a no-break space (U+00A0) or thin space in an abstract is content, not layout. */
function isXmlSpace(code: number): boolean {
  return code === SPACE || code === LF || code === TAB || code === CR;
}

const XML_SPACE_RUN = /[ \t\n\r]+/g;

/** Below this length one charCodeAt loop beats four native scans (most values: names, dates, ids). */
const SHORT_TEXT = 48;

/** Anything collapsing would change: a line break, a tab, or two spaces in a row. */
function collapsible(text: string): boolean {
  if (text.length < SHORT_TEXT) {
    let previous = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code <= SPACE && (code !== SPACE || previous === SPACE) && isXmlSpace(code)) return true;
      previous = code;
    }
    return false;
  }
  // Four native single-pattern scans beat one /[\t\n\r]| {2}/ test 2× (and a charCodeAt loop 4×) on abstracts.
  return text.includes('\n') || text.includes('  ') || text.includes('\t') || text.includes('\r');
}

/**
 * Collapses runs of XML whitespace to one space; `trim` also drops them at both ends. Most values
 * (`<Year>2019</Year>`, a one-line abstract) need nothing, which is proven before anything is allocated.
 */
export function collapseSpace(text: string, trim = true): string {
  const n = text.length;
  if (n === 0) return text;
  const padded = trim && (text.charCodeAt(0) === SPACE || text.charCodeAt(n - 1) === SPACE);
  if (!padded && !collapsible(text)) return text;
  const collapsed = text.replace(XML_SPACE_RUN, ' ');
  if (!trim) return collapsed;
  const start = collapsed.charCodeAt(0) === SPACE ? 1 : 0;
  const end =
    collapsed.length > start && collapsed.charCodeAt(collapsed.length - 1) === SPACE ? -1 : undefined;
  return start === 0 && end === undefined ? collapsed : collapsed.slice(start, end);
}

/** True when the text holds XML whitespace only (or nothing). */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isXmlSpace(text.charCodeAt(i))) return false;
  return true;
}

const STYLE_OF_TAG: ReadonlyMap<string, SpanStyle> = new Map<string, SpanStyle>([
  ['i', 'italic'],
  ['b', 'bold'],
  ['sup', 'sup'],
  ['sub', 'sub'],
  ['u', 'underline'],
  ['math', 'math'],
  ['mml:math', 'math'],
]);

/** The style a tag adds, if any; MathML counts under any namespace prefix (`mml:math`, `m:math`). */
function styleOf(tagName: string): SpanStyle | undefined {
  const style = STYLE_OF_TAG.get(tagName) ?? STYLE_OF_TAG.get(tagName.toLowerCase());
  return style ?? (tagName.endsWith(':math') ? 'math' : undefined);
}

interface Run {
  text: string;
  style: SpanStyle[] | undefined;
}

/**
 * Collects the text of one mixed-content element (ArticleTitle, AbstractText …) as styled runs.
 * Nested markup accumulates styles (`<b><i>x</i></b>` → bold+italic); unknown tags are transparent.
 */
export class RichTextBuilder {
  private readonly runs: Run[] = [];
  private style: SpanStyle[] | undefined = undefined;
  private readonly saved: (SpanStyle[] | undefined)[] = [];
  private mathDepth = 0;

  add(text: string): void {
    // Pretty-printed MathML puts layout whitespace between <mml:mi>/<mml:mo>; it is not content.
    if (this.mathDepth > 0 && isBlank(text)) return;
    const last = this.runs[this.runs.length - 1];
    if (last !== undefined && last.style === this.style) last.text += text;
    else this.runs.push({ text, style: this.style });
  }

  open(tagName: string): void {
    this.saved.push(this.style);
    const added = styleOf(tagName);
    if (added === 'math') this.mathDepth++;
    if (added !== undefined && !(this.style?.includes(added) ?? false)) {
      this.style = this.style === undefined ? [added] : [...this.style, added];
    }
  }

  close(tagName: string): void {
    this.style = this.saved.pop();
    const removed = styleOf(tagName);
    if (removed === 'math') this.mathDepth--;
  }

  /** The spans with whitespace collapsed across span borders and trimmed at both ends. */
  finish(): RichText {
    const only = this.runs.length === 1 ? this.runs[0] : undefined;
    if (only !== undefined && only.style === undefined) {
      // The common case (a title or abstract section without markup) needs no border handling.
      const text = collapseSpace(only.text);
      return text === '' ? [] : [{ text }];
    }
    const spans: Span[] = [];
    let endsWithSpace = true; // at the start, a leading space is dropped like a doubled one
    for (const run of this.runs) {
      let text = collapseSpace(run.text, false);
      if (endsWithSpace && text.charCodeAt(0) === SPACE) text = text.slice(1);
      if (text.length === 0) continue;
      const last = spans[spans.length - 1];
      if (last !== undefined && sameStyle(last.style, run.style)) last.text += text;
      else spans.push(run.style === undefined ? { text } : { text, style: run.style });
      endsWithSpace = text.charCodeAt(text.length - 1) === SPACE;
    }
    const last = spans[spans.length - 1];
    if (last !== undefined && endsWithSpace) {
      last.text = last.text.slice(0, -1);
      if (last.text.length === 0) spans.pop();
    }
    return spans;
  }
}

function sameStyle(a: SpanStyle[] | undefined, b: SpanStyle[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((style) => b.includes(style));
}
