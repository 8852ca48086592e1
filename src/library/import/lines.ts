// Splits a stream of UTF-8 chunks into numbered lines (LF or CRLF), holding at most one partial line.
// Used by the MEDLINE and JSON Lines readers; what the lines mean is theirs.

import { StringDecoder } from 'node:string_decoder';

export interface Line {
  text: string;
  /** 1-based. */
  number: number;
}

/** A single line longer than this is not text we can read (a binary file, a runaway blob). */
export const MAX_LINE_CHARS = 256 * 1024 * 1024;

export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  constructor(readonly line: number) {
    super(`line ${line} is longer than ${MAX_LINE_CHARS} characters`);
  }
}

export async function* readLines(source: AsyncIterable<string | Buffer>): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  // The unfinished line, as pieces: a long line is joined once, not re-scanned with every chunk.
  let pieces: string[] = [];
  let pieceChars = 0;
  let number = 0;
  let first = true;
  const take = (tail: string): string => {
    const line = pieces.length === 0 ? tail : pieces.join('') + tail;
    pieces = [];
    pieceChars = 0;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM is not content
      first = false;
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      number += 1;
      yield { text: take(text.slice(start, end)), number };
      start = end + 1;
    }
    if (start < text.length) {
      pieces.push(text.slice(start));
      pieceChars += text.length - start;
      if (pieceChars > MAX_LINE_CHARS) throw new LineTooLongError(number + 1);
    }
  }
  const rest = decoder.end();
  if (rest.length > 0) pieces.push(rest);
  if (pieces.length > 0) yield { text: take(''), number: number + 1 };
}
