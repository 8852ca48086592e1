// What each citation style is called on a button, a menu and a citation's heading: the style's own label
// (src/core/styles/), so adding a style names it once, in its file.

import { CITATION_STYLES, type CitationFormat } from '../styles';

export function citationStyleLabel(format: CitationFormat): string {
  return CITATION_STYLES[format].label;
}
