// What each citation style is called on a button, a menu and a citation's heading.
// Keyed by CitationFormat: a style added to the core's list does not compile until it is named here.

import type { CitationFormat } from '../reply';

export const CITATION_STYLE_LABELS = {
  ama: 'AMA',
  vancouver: 'Vancouver',
  apa: 'APA',
  bibtex: 'BibTeX',
  ris: 'RIS',
} as const satisfies Record<CitationFormat, string>;

export function citationStyleLabel(format: CitationFormat): string {
  return CITATION_STYLE_LABELS[format];
}
