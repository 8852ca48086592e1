// What PubMed said about a query (ESearch's errorlist/warninglist), kept with a cached search page and
// turned into the short notices a search reply shows. The core decides where they appear.

import type { EsearchEnvelope } from './envelopes';

/** The parts of an ESearch answer worth keeping beside the PMIDs of a cached page. */
export interface QueryNotes {
  phrasesNotFound: string[];
  fieldsNotFound: string[];
  phrasesIgnored: string[];
  quotedPhrasesNotFound: string[];
  outputMessages: string[];
}

/** "No items found." is left to the core, which says so in its own words when a page is empty. */
const NOTHING_FOUND = /^no items found\.?$/i;

export function notesOf(envelope: EsearchEnvelope): QueryNotes {
  return {
    phrasesNotFound: envelope.phrasesNotFound,
    fieldsNotFound: envelope.fieldsNotFound,
    phrasesIgnored: envelope.phrasesIgnored,
    quotedPhrasesNotFound: envelope.quotedPhrasesNotFound,
    outputMessages: envelope.outputMessages.filter((m) => !NOTHING_FOUND.test(m.trim())),
  };
}

function quoted(items: string[]): string {
  return items.map((i) => (/^".*"$/.test(i) ? i : `“${i}”`)).join(', ');
}

/**
 * One sentence per kind of remark, in the order a reader needs them: words PubMed searched without
 * first (they change what the results mean), then unknown field tags, quoted phrases, dropped stop words.
 */
export function queryNotices(notes: QueryNotes): string[] {
  const out: string[] = [];
  const { phrasesNotFound, fieldsNotFound, quotedPhrasesNotFound, phrasesIgnored, outputMessages } = notes;
  if (phrasesNotFound.length > 0) {
    out.push(
      `PubMed did not recognise ${quoted(phrasesNotFound)} and searched without ${phrasesNotFound.length > 1 ? 'them' : 'it'}.`,
    );
  }
  if (fieldsNotFound.length > 0) {
    out.push(
      `PubMed does not know the field tag${fieldsNotFound.length > 1 ? 's' : ''} ${fieldsNotFound.map((f) => `[${f}]`).join(', ')}.`,
    );
  }
  if (quotedPhrasesNotFound.length > 0) {
    out.push(
      `PubMed found no match for the quoted phrase${quotedPhrasesNotFound.length > 1 ? 's' : ''} ${quoted(quotedPhrasesNotFound)}.`,
    );
  }
  if (phrasesIgnored.length > 0) {
    out.push(`PubMed ignored ${quoted(phrasesIgnored)}.`);
  }
  out.push(...outputMessages.map((m) => m.trim()).filter((m) => m.length > 0));
  return out;
}
