// A streaming XML tokenizer over UTF-8 bytes: start and end tags, attributes on demand, text only while
// asked for, and subtrees skipped without decoding. What elements mean is xml-reader.ts's.

import {
  BANG,
  CLOSE_BRACKET,
  DQUOTE,
  EQUALS,
  GT,
  LF,
  LT,
  OPEN_BRACKET,
  QUESTION,
  SLASH,
  SPACE,
  SQUOTE,
} from '../ascii';
import { NameTable, nameHash } from './xml-names';
import { EntityError, ShortStrings, decodeText } from './xml-text';

export interface ScanHandler {
  /** A start tag (or an empty-element tag). Return false to skip the element and all it contains. */
  open(name: string): boolean;
  /** The end of an element that open() entered (right after open() for an empty-element tag). */
  close(name: string): void;
  /** Character data, references resolved and CDATA included; called only while `capturing` is set. */
  text(text: string): void;
}

/** The document is not well-formed XML; the message starts with `line:column:`. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

const EMPTY = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const COMMENT_END = Buffer.from('-->');
const PI_END = Buffer.from('?>');
const CDATA_END = Buffer.from(']]>');
const CDATA_START = Buffer.from('<![CDATA[');
const COMMENT_START = Buffer.from('<!--');
const DOCTYPE_START = Buffer.from('<!DOCTYPE');
/** Returned by the tag readers when the tag is not complete in the buffer yet. */
const INCOMPLETE = -1;
/** Tags read one by one in a skipped element before its end tag is searched for natively. */
const LONG_SKIP = 8;
const MARKUP_DECLARATION = Buffer.from('<!');
/** Gaps between tags are mostly indentation: a loop finds `<` sooner than a native call up to here. */
const NEAR = 24;
/**
 * Longest tag, comment or wanted text held while it is unfinished. A PubMed record is at most a few hundred
 * KB; past this a file is damaged (a `>` or an end tag lost), and holding on would grow memory with the file
 * and re-copy the held bytes on every chunk.
 */
export const MAX_UNFINISHED_BYTES = 16 * 1024 * 1024;

/** What a byte does inside a tag name: 0 belongs to it, END ends it, BAD cannot be there. */
const END = 1;
const BAD = 2;
const NAME_CLASS = new Uint8Array(256);
for (let byte = 0; byte <= SPACE; byte++) NAME_CLASS[byte] = END;
NAME_CLASS[GT] = END;
NAME_CLASS[SLASH] = END;
for (const byte of [LT, EQUALS, DQUOTE, SQUOTE]) NAME_CLASS[byte] = BAD;

/** XML whitespace is ≤ 0x20 among the bytes allowed where it is tested. */
function isSpace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === 0x09 || byte === 0x0d;
}

/**
 * Why bytes: a baseline file is mostly markup this project never reads (reference lists, affiliations,
 * grants). Finding `<` is a native memchr, names are hashed and interned without making strings, and
 * only the text of the elements asked for is decoded. Tags are checked as they pass: names match, quotes
 * close, nothing but whitespace outside the root, one root, no end before the document ends. Unlike a
 * full parser, references are checked only in text that is read, and the inside of a long skipped
 * element found by its end tag (skipRest) is not checked at all.
 */
export class XmlScanner {
  /** Set by the handler while it wants the text of the current element. */
  capturing = false;
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** 1-based line at byte `linePos` of buf (newlines are counted lazily, never twice). */
  private lineNumber = 1;
  private linePos = 0;
  /** Where the current event ends: the line reported to the handler is that byte's. */
  private cursor = 0;
  private readonly names = new NameTable();
  private readonly short = new ShortStrings();
  /** Name ids of the open elements, entered or skipped. */
  private readonly stack: number[] = [];
  /** Stack depth below which elements are being skipped; -1 when not skipping. */
  private skipBase = -1;
  /** Start tags read inside the skipped element so far; -1 once a native search was tried. */
  private skipped = 0;
  private rootSeen = false;
  private rootClosed = false;
  private started = false;
  /** The current start tag's attribute bytes (valid during open()). */
  private attrStart = 0;
  private attrEnd = 0;

  constructor(private readonly handler: ScanHandler) {}

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pos >= this.buf.length) {
      this.countLines(this.buf.length);
      this.buf = chunk;
    } else {
      // What is left is an unfinished tag or text still wanted: it joins the new bytes.
      this.countLines(this.pos);
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
    this.linePos = 0;
    if (!this.started) {
      if (this.buf.length < BOM.length && BOM.subarray(0, this.buf.length).equals(this.buf)) return;
      this.started = true;
      if (this.buf.subarray(0, BOM.length).equals(BOM)) this.pos = this.linePos = BOM.length;
    }
    this.scan();
    if (this.buf.length - this.pos > MAX_UNFINISHED_BYTES) {
      this.fail(`markup or text not finished within ${MAX_UNFINISHED_BYTES / 1024 / 1024} MB`, this.pos);
    }
  }

  /** The document is complete: throws if anything is left open. */
  end(): void {
    this.started = true;
    if (this.pos < this.buf.length) {
      // Text outside the root is consumed as it comes, so what is left is unfinished markup or text.
      if (this.stack.length > 0) this.unclosed('the document ends early');
      this.fail('the document ends inside a tag', this.pos);
    }
    this.cursor = this.buf.length;
    if (!this.rootSeen) this.fail('document must contain a root element', this.buf.length);
    if (this.stack.length > 0) this.unclosed('');
  }

  /** Line of the current event (the end of the tag being reported). */
  get line(): number {
    this.countLines(this.cursor);
    return this.lineNumber;
  }

  /** An attribute of the start tag being reported to open(); only then. */
  attribute(name: string): string | undefined {
    const buf = this.buf;
    const end = this.attrEnd;
    let p = this.attrStart;
    // Walked in place: only the value asked for becomes a string (a few hundred of these per record).
    for (;;) {
      while (p < end && isSpace(buf[p] as number)) p++;
      if (p >= end) return undefined;
      const nameStart = p;
      while (p < end && !isSpace(buf[p] as number) && buf[p] !== EQUALS) p++;
      let same = p - nameStart === name.length;
      for (let i = 0; same && i < name.length; i++) same = buf[nameStart + i] === name.charCodeAt(i);
      while (p < end && isSpace(buf[p] as number)) p++;
      if (buf[p] !== EQUALS || p === nameStart) this.fail('malformed attribute', nameStart);
      p++;
      while (p < end && isSpace(buf[p] as number)) p++;
      const quote = buf[p];
      if (quote !== DQUOTE && quote !== SQUOTE) this.fail('attribute value without quotes', p);
      let close = p + 1;
      while (close < end && buf[close] !== quote) close++;
      if (close >= end) this.fail('unclosed attribute value', p);
      if (same) {
        // Attribute-value normalisation: each tab, newline or carriage return reads as a space.
        const value = this.decode(p + 1, close);
        return this.isFlat(p + 1, close) ? value : value.replace(/[\t\n\r]/g, ' ');
      }
      p = close + 1;
      if (p < end && !isSpace(buf[p] as number)) this.fail('attributes must be separated by space', p);
    }
  }

  private scan(): void {
    const buf = this.buf;
    const length = buf.length;
    let pos = this.pos;
    while (pos < length) {
      if (this.skipBase >= 0 && this.skipped >= LONG_SKIP && this.stack.length === this.skipBase + 1) {
        const end = this.skipRest(pos);
        if (end !== INCOMPLETE) {
          pos = end;
          continue;
        }
      }
      let lt = pos;
      const near = Math.min(length, pos + NEAR);
      while (lt < near && buf[lt] !== LT) lt++;
      if (lt === near) lt = near < length ? buf.indexOf(LT, near) : -1;
      if (lt === -1) {
        // Text runs past the buffer: wanted text waits for its end, the rest is done with.
        if (this.capturing && this.skipBase < 0) break;
        if (this.stack.length === 0 && !this.isBlank(pos, length))
          this.fail('text data outside of root node', pos);
        pos = length;
        break;
      }
      if (lt > pos && this.skipBase < 0) this.textBetween(pos, lt);
      const next = this.tag(lt);
      if (next === INCOMPLETE) {
        pos = lt;
        break;
      }
      pos = next;
    }
    this.pos = pos;
  }

  private textBetween(start: number, end: number): void {
    if (this.stack.length === 0) {
      if (!this.isBlank(start, end)) this.fail('text data outside of root node', start);
    } else if (this.capturing) {
      this.handler.text(this.decode(start, end));
    }
  }

  /** Reads the markup at `lt`; returns where the next token starts, or INCOMPLETE. */
  private tag(lt: number): number {
    const next = this.buf[lt + 1];
    if (next === undefined) return INCOMPLETE;
    if (next === SLASH) return this.endTag(lt);
    if (next === QUESTION) return this.until(lt, PI_END);
    if (next === BANG) return this.declaration(lt);
    return this.startTag(lt);
  }

  private startTag(lt: number): number {
    const buf = this.buf;
    const length = buf.length;
    let p = lt + 1;
    let hash = 0;
    for (; p < length; p++) {
      const byte = buf[p] as number;
      const kind = NAME_CLASS[byte];
      if (kind === END) break;
      if (kind === BAD) this.fail('invalid character in a tag name', p);
      hash = nameHash(hash, byte);
    }
    if (p >= length) return INCOMPLETE;
    const nameEnd = p;
    if (nameEnd === lt + 1) this.fail('a tag without a name', lt);
    let quote = 0;
    for (; p < length; p++) {
      const byte = buf[p] as number;
      if (quote !== 0) {
        if (byte === quote) quote = 0;
        else if (byte === LT) this.fail('< in an attribute value', p);
      } else if (byte === GT) break;
      else if (byte === DQUOTE || byte === SQUOTE) quote = byte;
      else if (byte === LT) this.fail('< inside a tag', p);
    }
    if (p >= length) return INCOMPLETE;
    const empty = buf[p - 1] === SLASH;
    const id = this.names.intern(buf, lt + 1, nameEnd, hash);
    const stack = this.stack;
    if (this.skipBase >= 0) {
      if (this.skipped >= 0) this.skipped++;
      if (!empty) stack.push(id);
      return p + 1;
    }
    if (stack.length === 0) {
      if (this.rootClosed) this.fail('more than one root element', lt);
      this.rootSeen = true;
    }
    this.attrStart = nameEnd;
    this.attrEnd = empty ? p - 1 : p;
    this.cursor = p + 1;
    const name = this.names.name(id);
    const entered = this.handler.open(name);
    if (empty) {
      if (entered) this.handler.close(name);
      if (stack.length === 0) this.rootClosed = true;
    } else {
      stack.push(id);
      if (!entered) {
        this.skipBase = stack.length - 1;
        this.skipped = 0;
      }
    }
    return p + 1;
  }

  private endTag(lt: number): number {
    const buf = this.buf;
    const length = buf.length;
    const stack = this.stack;
    const open = stack[stack.length - 1];
    // The name can only be the open element's: compare its bytes instead of reading a new name.
    const expected = open === undefined ? undefined : this.names.bytesOf(open);
    const start = lt + 2;
    let p = start;
    if (expected !== undefined) {
      const n = expected.length;
      if (start + n >= length) return INCOMPLETE;
      let i = 0;
      while (i < n && buf[start + i] === expected[i]) i++;
      p = start + i;
    }
    if (expected === undefined || p !== start + expected.length || NAME_CLASS[buf[p] as number] !== END) {
      return this.badEndTag(lt, open);
    }
    while (p < length && isSpace(buf[p] as number)) p++;
    if (p >= length) return INCOMPLETE;
    if (buf[p] !== GT) this.fail('malformed end tag', lt);
    stack.pop();
    if (this.skipBase >= 0) {
      if (stack.length === this.skipBase) this.skipBase = -1;
      return p + 1;
    }
    this.cursor = p + 1;
    this.handler.close(this.names.name(open as number));
    if (stack.length === 0) this.rootClosed = true;
    return p + 1;
  }

  /**
   * The rest of a long skipped element (a ReferenceList of 150 citations) in three native searches, when
   * its end tag is in the buffer and nothing in between could hide or fake one: no comment, CDATA or
   * declaration, no nested element of the same name. Otherwise INCOMPLETE, and tags are read one by one.
   * What lies in between is not checked for well-formedness; everything outside skipped elements is.
   */
  private skipRest(pos: number): number {
    this.skipped = -1;
    const buf = this.buf;
    const id = this.stack[this.skipBase] as number;
    const needle = this.names.endNeedle(id);
    const at = buf.indexOf(needle, pos);
    if (at === -1) return INCOMPLETE;
    const between = buf.subarray(pos, at);
    if (between.indexOf(MARKUP_DECLARATION) !== -1) return INCOMPLETE;
    if (between.indexOf(needle.subarray(2)) !== -1) return INCOMPLETE; // the name, nested or in text
    let p = at + needle.length;
    if (p >= buf.length || NAME_CLASS[buf[p] as number] !== END) return INCOMPLETE;
    while (p < buf.length && isSpace(buf[p] as number)) p++;
    if (p >= buf.length || buf[p] !== GT) return INCOMPLETE;
    this.stack.length = this.skipBase;
    this.skipBase = -1;
    return p + 1;
  }

  /** An end tag that does not close the open element (or one not complete in the buffer yet). */
  private badEndTag(lt: number, open: number | undefined): number {
    const buf = this.buf;
    let p = lt + 2;
    while (p < buf.length && NAME_CLASS[buf[p] as number] !== END) p++;
    if (p >= buf.length) return INCOMPLETE;
    const name = buf.toString('utf8', lt + 2, p);
    const expected = open === undefined ? 'no open element' : `</${this.names.name(open)}>`;
    return this.fail(`unexpected end tag </${name}>, expected ${expected}`, lt);
  }

  /** `<!--…-->`, `<![CDATA[…]]>` and `<!DOCTYPE …>`. */
  private declaration(lt: number): number {
    const buf = this.buf;
    const starts = (prefix: Buffer): boolean | undefined => {
      const have = Math.min(prefix.length, buf.length - lt);
      if (buf.compare(prefix, 0, have, lt, lt + have) !== 0) return false;
      return have === prefix.length ? true : undefined;
    };
    const comment = starts(COMMENT_START);
    if (comment) return this.until(lt, COMMENT_END);
    const cdata = starts(CDATA_START);
    if (cdata) return this.cdata(lt);
    const doctype = starts(DOCTYPE_START);
    if (doctype) return this.doctype(lt);
    if (comment === undefined || cdata === undefined || doctype === undefined) return INCOMPLETE;
    return this.fail('unknown markup declaration', lt);
  }

  /** A comment or processing instruction: allowed anywhere, read by no one. */
  private until(lt: number, terminator: Buffer): number {
    const close = this.buf.indexOf(terminator, lt + 2);
    return close === -1 ? INCOMPLETE : close + terminator.length;
  }

  private cdata(lt: number): number {
    const start = lt + CDATA_START.length;
    const close = this.buf.indexOf(CDATA_END, start);
    if (close === -1) return INCOMPLETE;
    if (this.stack.length === 0) this.fail('CDATA outside of root node', lt);
    if (this.capturing && this.skipBase < 0) this.handler.text(this.buf.toString('utf8', start, close));
    return close + CDATA_END.length;
  }

  private doctype(lt: number): number {
    if (this.rootSeen) this.fail('DOCTYPE after the root element', lt);
    const buf = this.buf;
    let quote = 0;
    let brackets = 0;
    for (let p = lt + DOCTYPE_START.length; p < buf.length; p++) {
      const byte = buf[p] as number;
      if (quote !== 0) {
        if (byte === quote) quote = 0;
      } else if (byte === DQUOTE || byte === SQUOTE) quote = byte;
      else if (byte === OPEN_BRACKET) brackets++;
      else if (byte === CLOSE_BRACKET) brackets--;
      else if (byte === GT && brackets <= 0) return p + 1;
    }
    return INCOMPLETE;
  }

  private decode(start: number, end: number): string {
    const cached = this.short.get(this.buf, start, end);
    if (cached !== undefined) return cached;
    try {
      return decodeText(this.buf, start, end);
    } catch (error) {
      if (error instanceof EntityError) this.fail(error.message, start);
      throw error;
    }
  }

  /** No tab, newline or carriage return in buf[start, end). */
  private isFlat(start: number, end: number): boolean {
    const buf = this.buf;
    for (let p = start; p < end; p++) {
      const byte = buf[p] as number;
      if (byte < SPACE && (byte === LF || byte === 0x09 || byte === 0x0d)) return false;
    }
    return true;
  }

  private isBlank(start: number, end: number): boolean {
    const buf = this.buf;
    for (let p = start; p < end; p++) if (!isSpace(buf[p] as number)) return false;
    return true;
  }

  private countLines(to: number): void {
    const buf = this.buf;
    if (this.linePos >= to) return;
    let count = this.lineNumber;
    for (let nl = buf.indexOf(LF, this.linePos); nl !== -1 && nl < to; nl = buf.indexOf(LF, nl + 1)) count++;
    this.lineNumber = count;
    this.linePos = to;
  }

  private unclosed(detail: string): never {
    const open = this.stack[this.stack.length - 1];
    const name = open === undefined ? '' : ` ${this.names.name(open)}`;
    return this.fail(`unclosed tag:${name}${detail ? ` (${detail})` : ''}`, this.buf.length);
  }

  private fail(message: string, at: number): never {
    this.cursor = Math.min(at, this.buf.length);
    const line = this.line;
    const lineStart = this.buf.lastIndexOf(LF, this.cursor - 1) + 1;
    throw new XmlSyntaxError(`${line}:${this.cursor - lineStart + 1}: ${message}`);
  }
}
