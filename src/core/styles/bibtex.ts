// BibTeX records through citation-js; the journal as printed, warnings in `note`.
// Reference managers read the fields; the layout is citation-js's.

import { toCsl } from '../csl';
import type { CitationStyle } from './style';

export const bibtex: CitationStyle = {
  label: 'BibTeX',
  kind: 'record',
  format(article, engine) {
    const item = toCsl(article, { printedJournal: true });
    // BibTeX's month field holds a month; citation-js would write the day into it ("may 31").
    const date = item.issued?.['date-parts'][0];
    if (date && date.length > 2) item.issued = { 'date-parts': [date.slice(0, 2)] };
    return engine.record(item, 'bibtex').trim();
  },
};
