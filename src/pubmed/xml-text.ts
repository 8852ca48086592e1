// Character data from bytes: UTF-8 decoding with XML's five entities and character references resolved.
// Leaves deciding which bytes are text (and where they end) to xml-scanner.ts.

import { AMP, HASH, SEMICOLON } from '../ascii';

/** Longer than any entity this decoder knows (`&#x10FFFF;`), so a stray `&` fails fast. */
const MAX_ENTITY = 12;

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** A malformed or unknown reference; the scanner adds the position. */
export class EntityError extends Error {
  override readonly name = 'EntityError';
}

/** Code points XML 1.0 allows in a document (its Char production). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function resolve(reference: string): string {
  if (reference.charCodeAt(0) === HASH) {
    const hex = reference.charCodeAt(1) === 0x78; // x
    const digits = reference.slice(hex ? 2 : 1);
    const valid = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
    const code = valid ? parseInt(digits, hex ? 16 : 10) : NaN;
    if (!isXmlChar(code)) throw new EntityError(`invalid character reference &${reference};`);
    return String.fromCodePoint(code);
  }
  const known = PREDEFINED.get(reference);
  if (known === undefined) throw new EntityError(`undefined entity &${reference};`);
  return known;
}

/** Past this length a native search for `&` beats a loop (a bounded view costs an allocation). */
const NATIVE_SEARCH = 256;

function firstAmp(buf: Buffer, start: number, end: number): number {
  if (end - start > NATIVE_SEARCH) {
    const at = buf.subarray(start, end).indexOf(AMP);
    return at === -1 ? end : start + at;
  }
  let p = start;
  while (p < end && buf[p] !== AMP) p++;
  return p;
}

/** The text of buf[start, end); references are resolved when the bytes hold an `&`. */
export function decodeText(buf: Buffer, start: number, end: number): string {
  let amp = firstAmp(buf, start, end);
  if (amp === end) return buf.toString('utf8', start, end);
  let out = '';
  let from = start;
  while (amp < end) {
    let semicolon = amp + 1;
    const limit = Math.min(end, amp + MAX_ENTITY);
    while (semicolon < limit && buf[semicolon] !== SEMICOLON) semicolon++;
    if (semicolon >= limit || semicolon === amp + 1) throw new EntityError('& not followed by a reference');
    out += buf.toString('utf8', from, amp) + resolve(buf.toString('latin1', amp + 1, semicolon));
    from = semicolon + 1;
    amp = firstAmp(buf, from, end);
  }
  return out + buf.toString('utf8', from, end);
}

const SHORT = 32;
const CACHE_SLOTS = 4096;

/**
 * Most values a record is read for are short and repeat across records (years, months, initials,
 * attribute values like "Y" or "entrez"): a direct-mapped cache of their strings answers them without a
 * native decode call, which costs more than the hash and compare. ASCII only, so bytes are char codes.
 */
export class ShortStrings {
  private readonly hashes = new Int32Array(CACHE_SLOTS);
  private readonly strings: string[] = new Array<string>(CACHE_SLOTS).fill('');

  /** The text of buf[start, end), or undefined when it is long, not ASCII, or holds a reference. */
  get(buf: Buffer, start: number, end: number): string | undefined {
    const length = end - start;
    if (length > SHORT) return undefined;
    let hash = length;
    for (let p = start; p < end; p++) {
      const byte = buf[p] as number;
      if (byte >= 0x80 || byte === AMP) return undefined;
      hash = (Math.imul(hash, 31) + byte) | 0;
    }
    const slot = hash & (CACHE_SLOTS - 1);
    const known = this.strings[slot] as string;
    if (this.hashes[slot] === hash && known.length === length) {
      let i = 0;
      while (i < length && known.charCodeAt(i) === buf[start + i]) i++;
      if (i === length) return known;
    }
    const made = buf.toString('latin1', start, end);
    this.hashes[slot] = hash;
    this.strings[slot] = made;
    return made;
  }
}
