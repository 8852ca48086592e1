// APA 7th edition through citation-js's bundled APA template; the journal is named as printed on its cover.
// APA's rules are the template's; this file only chooses the data it is handed.

import { toCsl } from '../csl';
import type { CitationStyle } from './style';

export const apa: CitationStyle = {
  label: 'APA',
  kind: 'reference',
  format: (article, engine) =>
    engine.bibliography(toCsl(article, { printedJournal: true, notes: false }), { name: 'apa' }),
};
