// RIS records through citation-js, made whole: one tag a line, SP/EP split, and `ER  - ` with its space.
// Warnings travel in N1; the journal as printed is T2 and NLM's abbreviation J2.

import { toCsl } from '../csl';
import type { CitationStyle } from './style';

const TAG = /^[A-Z][A-Z0-9] {2}- ?/;

/** citation-js folds long values onto continuation lines; RIS readers expect one tag a line. */
function unfold(ris: string): string[] {
  const lines: string[] = [];
  for (const line of ris.split(/\r?\n/)) {
    if (line === '') continue;
    if (TAG.test(line) || lines.length === 0) lines.push(line);
    else lines[lines.length - 1] += line;
  }
  return lines;
}

/** RIS keeps the start page in SP and the end page in EP; "SP  - 2078-2092" is read as one page by most readers. */
function splitPages(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const range = /^SP {2}- (.+?)-(.+)$/.exec(line);
    return range ? [`SP  - ${range[1] as string}`, `EP  - ${range[2] as string}`] : [line];
  });
}

export const ris: CitationStyle = {
  label: 'RIS',
  kind: 'record',
  format(article, engine) {
    const lines = splitPages(unfold(engine.record(toCsl(article, { printedJournal: true }), 'ris')));
    // The end tag is "ER  - " with a trailing space in the specification; some readers insist on it.
    return lines.map((line) => (line.startsWith('ER  -') ? 'ER  - ' : line)).join('\n');
  },
};
