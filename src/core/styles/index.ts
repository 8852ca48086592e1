// The citation styles paperbot offers, in the order buttons and help list them; the first is the default.
// Adding a style: its file beside this one, one line here, its test, and README's list.

import { ama } from './ama';
import { apa } from './apa';
import { bibtex } from './bibtex';
import { ris } from './ris';
import type { CitationStyle } from './style';
import { vancouver } from './vancouver';

export const CITATION_STYLES = { ama, vancouver, apa, bibtex, ris } satisfies Record<string, CitationStyle>;

export type CitationFormat = keyof typeof CITATION_STYLES;

export const CITATION_FORMATS = Object.keys(CITATION_STYLES) as readonly CitationFormat[];

export type { CitationStyle } from './style';
