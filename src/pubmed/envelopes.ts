// Pure parsers for the small E-utilities envelopes: ESearch JSON and ELink XML (pubmed_pubmed neighbours).
// PubmedArticleSet documents are xml.ts's; HTTP, status codes and retries are eutils.ts's and service.ts's.

import { XMLParser } from 'fast-xml-parser';
import { PaperbotError } from '../core/errors';
import { sourceError } from '../sources/errors';
import { entrezError, PUBMED_SOURCE } from './errors';

export interface EsearchEnvelope {
  count: number;
  retmax: number;
  retstart: number;
  pmids: string[];
  queryTranslation?: string;
  /** The history-server handle of the whole result set, when the search asked for usehistory=y. */
  history?: { webenv: string; queryKey: string };
  /** ESearch's `ERROR` text when the search did not run at all (empty otherwise). */
  errors: string[];
  /** Words PubMed did not know and searched without (errorlist.phrasesnotfound). */
  phrasesNotFound: string[];
  /** Field tags PubMed did not know (errorlist.fieldsnotfound), e.g. "badfield" from `x[badfield]`. */
  fieldsNotFound: string[];
  /** Stop words PubMed dropped (warninglist.phrasesignored). */
  phrasesIgnored: string[];
  /** Quoted phrases PubMed had no index entry for (warninglist.quotedphrasesnotfound). */
  quotedPhrasesNotFound: string[];
  /** Free-text messages (warninglist.outputmessages); "No items found." is one of them. */
  outputMessages: string[];
  /** Every warninglist entry, in the order above, for logs. */
  warnings: string[];
}

export interface Neighbor {
  id: string;
  score?: number;
}

const PMID = /^\d{1,9}$/;

function bad(message: string, cause?: unknown): PaperbotError {
  return sourceError(PUBMED_SOURCE, 'bad_body', message, cause === undefined ? {} : { cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strings of a JSON list, ignoring anything else NCBI might put there. */
function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}

function integer(value: unknown, name: string): number {
  // NCBI sends these as strings; numbers are accepted in case that ever changes.
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) throw bad(`esearch: ${name} is not a count`);
  return Number(text);
}

function parseJsonLeniently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    // Past the 10k window NCBI's ERROR text holds a raw newline, which strict JSON refuses. Control
    // characters outside strings are whitespace anyway, so blanking them all keeps the meaning.
    // eslint-disable-next-line no-control-regex
    const relaxed = text.replace(/[\u0000-\u001F]+/g, ' ');
    try {
      return JSON.parse(relaxed);
    } catch {
      throw bad('esearch: the answer is not JSON', strictError);
    }
  }
}

/**
 * ESearch `retmode=json` → counts, PMIDs and what PubMed said about the query. Throws `bad_response` for
 * anything that is not an ESearch JSON envelope. An `ERROR` is returned in `errors`, not thrown: the
 * caller decides (eutils.ts turns it into `upstream_error`).
 */
export function parseEsearchJson(text: string): EsearchEnvelope {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) {
    throw bad(
      /^<(!doctype html|html)/i.test(trimmed)
        ? 'esearch: HTML instead of JSON'
        : 'esearch: the answer is not JSON',
    );
  }
  const root = parseJsonLeniently(text);
  const result = isRecord(root) ? root.esearchresult : undefined;
  if (!isRecord(result)) throw bad('esearch: no esearchresult in the answer');

  const errorList = isRecord(result.errorlist) ? result.errorlist : {};
  const warningList = isRecord(result.warninglist) ? result.warninglist : {};
  const phrasesIgnored = strings(warningList.phrasesignored);
  const quotedPhrasesNotFound = strings(warningList.quotedphrasesnotfound);
  const outputMessages = strings(warningList.outputmessages);
  const notes = {
    phrasesNotFound: strings(errorList.phrasesnotfound),
    fieldsNotFound: strings(errorList.fieldsnotfound),
    phrasesIgnored,
    quotedPhrasesNotFound,
    outputMessages,
    warnings: [...phrasesIgnored, ...quotedPhrasesNotFound, ...outputMessages],
  };
  const fatal = typeof result.ERROR === 'string' ? result.ERROR.replace(/\s+/g, ' ').trim() : undefined;
  if (fatal !== undefined) {
    return { count: 0, retmax: 0, retstart: 0, pmids: [], errors: [fatal || 'ERROR'], ...notes };
  }

  if (!Array.isArray(result.idlist)) throw bad('esearch: no idlist in the answer');
  const pmids = result.idlist.map((id) => (typeof id === 'string' ? id.trim() : ''));
  if (pmids.some((id) => !PMID.test(id))) throw bad('esearch: idlist holds something other than PMIDs');
  const count = integer(result.count, 'count');
  const queryTranslation = typeof result.querytranslation === 'string' ? result.querytranslation : undefined;
  const webenv = typeof result.webenv === 'string' ? result.webenv.trim() : '';
  const queryKey = typeof result.querykey === 'string' ? result.querykey.trim() : '';
  return {
    count,
    retmax: result.retmax === undefined ? pmids.length : integer(result.retmax, 'retmax'),
    retstart: result.retstart === undefined ? 0 : integer(result.retstart, 'retstart'),
    pmids,
    ...(queryTranslation !== undefined ? { queryTranslation } : {}),
    ...(webenv && queryKey ? { history: { webenv, queryKey } } : {}),
    errors: [],
    ...notes,
  };
}

const ARRAY_PATHS = new Set([
  'eLinkResult.LinkSet',
  'eLinkResult.LinkSet.IdList.Id',
  'eLinkResult.LinkSet.LinkSetDb',
  'eLinkResult.LinkSet.LinkSetDb.Link',
]);

const elinkParser = new XMLParser({
  ignoreAttributes: true,
  // PMIDs stay strings ("00123" must not become 123); Score is converted by hand.
  parseTagValue: false,
  isArray: (_name, jpath) => typeof jpath === 'string' && ARRAY_PATHS.has(jpath),
});

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (isRecord(value) && typeof value['#text'] === 'string') return value['#text'].trim();
  return undefined;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * ELink XML → the neighbours in link set `linkName` (pubmed_pubmed by default), best first: by Score
 * descending when every link carries one (cmd=neighbor_score), else in document order. The source PMIDs
 * and duplicates are left out. A link set holding only an <ERROR> (an unknown PMID) yields no neighbours;
 * a document-level <ERROR> is Entrez refusing the request (`upstream_error`).
 */
export function parseElinkXml(xml: string, linkName = 'pubmed_pubmed'): Neighbor[] {
  const trimmed = xml.trim();
  if (/^<(!doctype html|html)/i.test(trimmed)) throw bad('elink: HTML instead of XML');
  // A cut-short body still parses as far as it goes, so the closing tag is the completeness check.
  if (!trimmed.endsWith('</eLinkResult>')) throw bad('elink: the answer is not a complete eLinkResult');
  let doc: unknown;
  try {
    doc = elinkParser.parse(trimmed);
  } catch (error) {
    throw bad('elink: the answer is not well-formed XML', error);
  }
  const root = isRecord(doc) ? doc.eLinkResult : undefined;
  if (root === '' || root === undefined) {
    if (isRecord(doc) && 'eLinkResult' in doc) return [];
    throw bad('elink: no eLinkResult in the answer');
  }
  if (!isRecord(root)) throw bad('elink: no eLinkResult in the answer');
  const rootError = text(root.ERROR);
  if (rootError !== undefined) throw entrezError('elink', rootError);

  const sources = new Set<string>();
  const links: { id: string; score?: number; order: number }[] = [];
  for (const linkSet of asList(root.LinkSet)) {
    if (!isRecord(linkSet)) continue;
    for (const id of asList(isRecord(linkSet.IdList) ? linkSet.IdList.Id : undefined)) {
      const value = text(id);
      if (value) sources.add(value);
    }
    for (const db of asList(linkSet.LinkSetDb)) {
      if (!isRecord(db) || text(db.LinkName) !== linkName) continue;
      for (const link of asList(db.Link)) {
        if (!isRecord(link)) continue;
        const id = text(link.Id);
        if (!id || !PMID.test(id)) continue;
        const rawScore = text(link.Score);
        const score = rawScore !== undefined && /^\d+$/.test(rawScore) ? Number(rawScore) : undefined;
        links.push({ id, ...(score !== undefined ? { score } : {}), order: links.length });
      }
    }
  }
  const scored = links.length > 0 && links.every((l) => l.score !== undefined);
  if (scored) links.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.order - b.order);
  const seen = new Set<string>();
  const out: Neighbor[] = [];
  for (const link of links) {
    if (sources.has(link.id) || seen.has(link.id)) continue;
    seen.add(link.id);
    out.push(link.score !== undefined ? { id: link.id, score: link.score } : { id: link.id });
  }
  return out;
}
