// A citation of one Article in any style of styles/: the style formats, and the record's warnings
// (retraction, expression of concern, errata, updates) travel with every copy of it.

import type { Article } from './article';
import { citationNotes } from './csl';
import { createCiteEngine } from './styles/engine';
import { CITATION_FORMATS, CITATION_STYLES, type CitationFormat } from './styles';

export { CITATION_FORMATS };

export function formatCitation(article: Article, format: CitationFormat): string {
  const style = CITATION_STYLES[format];
  const text = style.format(article, createCiteEngine());
  if (style.kind === 'record') return text;
  const notes = citationNotes(article);
  return notes.length === 0 ? text : `${text} ${notes.join(' ')}`;
}
