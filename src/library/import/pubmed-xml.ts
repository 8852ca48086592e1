// Reads PubMed XML (efetch output, annual baseline and update files) as import items, as it streams.
// Parsing is pubmed/xml.ts's (streamArticleSet); decompression and batching are the importer's.

import { isPaperbotError } from '../../core/errors';
import { streamArticleSet } from '../../pubmed/xml';
import { UnreadableFileError, type ImportItem } from './items';

/** True when a file's first bytes look like XML (a declaration, a doctype or an element). */
export function looksLikeXml(head: string): boolean {
  return /^\s*<[?!a-zA-Z]/.test(head.replace(/^\uFEFF/, ''));
}

export async function* streamPubmedXml(source: AsyncIterable<string | Buffer>): AsyncGenerator<ImportItem> {
  try {
    for await (const item of streamArticleSet(source)) {
      if (item.kind === 'article') yield { kind: 'article', article: item.article };
      else if (item.kind === 'deleted') yield { kind: 'deleted', pmids: item.pmids };
      else {
        const { index, line, pmid, message } = item.problem;
        yield { kind: 'problem', problem: { index, line, ...(pmid ? { id: pmid } : {}), message } };
      }
    }
  } catch (error) {
    // Not a PubmedArticleSet, or cut short: what was read before stays imported; the file is reported.
    if (isPaperbotError(error) && error.code === 'bad_response') throw new UnreadableFileError(error.message);
    throw error;
  }
}
