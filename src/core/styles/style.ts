// What a citation style is to the rest of paperbot: a label for buttons and help, and a formatter.
// The list of styles is index.ts; each style's rules live in its own file.

import type { Article } from '../article';
import type { CiteEngine } from './engine';

export interface CitationStyle {
  /** As buttons and help name it: "AMA", "BibTeX". */
  readonly label: string;
  /**
   * `reference`: one line to paste into slides or a paper; the record's warnings follow it as sentences.
   * `record`: an entry for a reference manager; the warnings travel in its note field.
   */
  readonly kind: 'reference' | 'record';
  format(article: Article, engine: CiteEngine): string;
}
