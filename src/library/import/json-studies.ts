// Splits one JSON document, as it streams in, into the elements of its study array: a top-level array,
// or the "studies" array of a /studies page. Each element is handed over as text to be parsed alone; the
// rest of the document (a single study is all rest) is kept and returned at the end. ctgov.ts maps studies.

import {
  BACKSLASH,
  CLOSE_BRACE as CLOSE_OBJECT,
  CLOSE_BRACKET as CLOSE_ARRAY,
  COLON,
  COMMA,
  DQUOTE as QUOTE,
  OPEN_BRACE as OPEN_OBJECT,
  OPEN_BRACKET as OPEN_ARRAY,
} from '../../ascii';

/** Past this size a piece of one document is not something we can hold (a runaway element or rest). */
export const MAX_PIECE_CHARS = 256 * 1024 * 1024;

export interface StudyText {
  text: string;
  /** Line where the element starts. */
  line: number;
}

export class JsonShapeError extends Error {
  override readonly name = 'JsonShapeError';
}

/** Longer than "studies": a key cut to this length is still told apart from it. */
const KEY_CHARS = 16;

/** What the element being read is: none, an object or array, a string, or a number or literal. */
const NONE = 0;
const CONTAINER = 1;
const BARE_STRING = 2;
const BARE = 3;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * A small state machine over characters: strings (with escapes) are passed over, brackets counted. Only
 * the structure is checked here; JSON.parse checks each element and the rest, so a broken document still
 * fails with JSON's own message, after the studies before the break.
 */
export class StudySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the streamed array's elements (1: a top-level array, 2: "studies"); 0 while none. */
  private streamDepth = 0;
  private streamed = false;
  /**
   * The last string closed at depth 1 (the start of one still open, across pieces), and the key: such a
   * string followed by a colon. Only a short string can be the key looked for, so longer ones are cut.
   */
  private lastString = '';
  private stringHead = '';
  private stringStart = -1;
  private key: string | undefined;
  private readonly rest: string[] = [];
  private restChars = 0;
  private element: string[] = [];
  private elementChars = 0;
  private elementLine = 0;
  private kind = NONE;

  /** Feeds the next piece of text (one line, say) that starts on `line`; returns the elements it ended. */
  write(text: string, line: number): StudyText[] {
    const done: StudyText[] = [];
    const finish = (end: number): void => {
      this.take(text, from, end);
      done.push({ text: this.element.join(''), line: this.elementLine });
      this.element = [];
      this.elementChars = 0;
      this.kind = NONE;
      from = end;
    };
    let from = 0; // where the text not yet kept (as rest) or taken (as an element) starts
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) {
          this.inString = false;
          if (this.stringStart >= 0) {
            const end = Math.min(i, this.stringStart + KEY_CHARS);
            this.lastString = (this.stringHead + text.slice(this.stringStart, end)).slice(0, KEY_CHARS);
          }
          if (this.kind === BARE_STRING && this.depth === this.streamDepth) finish(i + 1);
        }
        continue;
      }
      const between = this.streamDepth > 0 && this.depth === this.streamDepth;
      if (between && this.kind === BARE && (isSpace(code) || code === COMMA || code === CLOSE_ARRAY)) {
        finish(i);
      }
      if (between && this.kind === NONE) {
        // Separators between elements belong to neither the elements nor the rest.
        if (isSpace(code) || code === COMMA) {
          from = i + 1;
          continue;
        }
        if (code === CLOSE_ARRAY) {
          this.depth--;
          this.streamDepth = 0;
          from = i;
          continue;
        }
        this.kind =
          code === OPEN_OBJECT || code === OPEN_ARRAY ? CONTAINER : code === QUOTE ? BARE_STRING : BARE;
        this.elementLine = line;
        from = i;
      }
      if (code === QUOTE) {
        this.inString = true;
        // Keys are read at depth 1 of an object only (a top-level array's strings are elements).
        this.stringStart = this.depth === 1 && this.streamDepth !== 1 ? i + 1 : -1;
        this.stringHead = '';
      } else if (code === COLON && this.depth === 1) {
        this.key = this.lastString;
      } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
        this.depth++;
        const top = this.depth === 1 && code === OPEN_ARRAY;
        const studies = this.depth === 2 && code === OPEN_ARRAY && this.key === 'studies';
        if (!this.streamed && this.kind === NONE && (top || studies)) {
          this.keep(text, from, i + 1);
          from = i + 1;
          this.streamDepth = this.depth;
          this.streamed = true;
        }
      } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
        this.depth--;
        if (this.depth < 0) throw new JsonShapeError('a closing bracket without an opening one');
        if (this.kind === CONTAINER && this.depth === this.streamDepth) finish(i + 1);
      }
    }
    if (this.inString && this.stringStart >= 0) {
      const end = Math.min(text.length, this.stringStart + KEY_CHARS);
      this.stringHead = (this.stringHead + text.slice(this.stringStart, end)).slice(0, KEY_CHARS);
      this.stringStart = 0;
    }
    if (this.kind !== NONE) this.take(text, from, text.length);
    else if (this.streamDepth === 0 || this.depth !== this.streamDepth) this.keep(text, from, text.length);
    return done;
  }

  /** The document without the streamed elements, once all of it was written; throws if it is cut short. */
  finish(): { rest: string; streamed: boolean } {
    if (this.inString || this.depth > 0 || this.kind !== NONE)
      throw new JsonShapeError('the document ends early');
    return { rest: this.rest.join(''), streamed: this.streamed };
  }

  private keep(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.restChars += to - from;
    if (this.restChars > MAX_PIECE_CHARS) {
      throw new JsonShapeError(`more than ${MAX_PIECE_CHARS} characters outside the studies`);
    }
    this.rest.push(text.slice(from, to));
  }

  private take(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.elementChars += to - from;
    if (this.elementChars > MAX_PIECE_CHARS)
      throw new JsonShapeError(`a study over ${MAX_PIECE_CHARS} characters`);
    this.element.push(text.slice(from, to));
  }
}
