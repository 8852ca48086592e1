// What the fake E-utilities serves: recorded PubMed records indexed by PMID (plain string slicing, not our
// parser), recorded ELink documents, and builders for answers in NCBI's exact shapes. HTTP is ./eutils.ts's.

import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'ncbi');

export interface FixtureRecord {
  pmid: string;
  kind: 'article' | 'book';
  /** The whole <PubmedArticle>…</PubmedArticle> (or <PubmedBookArticle>) element, byte for byte. */
  xml: string;
  /** PubMedPubDate PubStatus="entrez" as YYYY/MM/DD (zero-padded), when the record has one. */
  entrezDate?: string;
  /** The fixture file it came from, for messages. */
  file: string;
}

const RECORD = /<(PubmedArticle|PubmedBookArticle)>[\s\S]*?<\/\1>/g;
const FIRST_PMID = /<PMID[^>]*>\s*(\d+)\s*<\/PMID>/;
const ENTREZ =
  /<PubMedPubDate PubStatus="entrez">\s*<Year>(\d{4})<\/Year>\s*<Month>(\d{1,2})<\/Month>\s*<Day>(\d{1,2})<\/Day>/;

const pad = (n: string): string => n.padStart(2, '0');

/** Every record of test/fixtures/ncbi/efetch_*.xml by PMID; a PMID in several files keeps its first copy. */
export function indexFixtureRecords(dir = FIXTURE_DIR): Map<string, FixtureRecord> {
  const records = new Map<string, FixtureRecord>();
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^efetch_.*\.xml$/.test(f))
    .sort();
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of text.matchAll(RECORD)) {
      const xml = match[0];
      const pmid = FIRST_PMID.exec(xml)?.[1];
      if (!pmid || records.has(pmid)) continue;
      const e = ENTREZ.exec(xml);
      records.set(pmid, {
        pmid,
        kind: match[1] === 'PubmedBookArticle' ? 'book' : 'article',
        xml,
        ...(e ? { entrezDate: `${e[1]}/${pad(e[2] ?? '')}/${pad(e[3] ?? '')}` } : {}),
        file,
      });
    }
  }
  return records;
}

/** Recorded ELink answers (cmd=neighbor, no scores) keyed by their source PMID, served verbatim. */
export function indexFixtureLinks(dir = FIXTURE_DIR): Map<string, string> {
  const links = new Map<string, string>();
  for (const file of fs.readdirSync(dir).filter((f) => /^elink_pubmed_.*\.xml$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const source = /<IdList>\s*<Id>(\d+)<\/Id>/.exec(text)?.[1];
    if (source) links.set(source, text);
  }
  return links;
}

/** The prolog of current efetch answers, as in test/fixtures/ncbi/efetch_pubmed_23657305.xml. */
const EFETCH_PROLOG =
  '<?xml version="1.0" ?>\n' +
  '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n';

export function articleSetXml(elements: string[]): string {
  return `${EFETCH_PROLOG}<PubmedArticleSet>\n${elements.join('\n')}\n</PubmedArticleSet>\n`;
}

/** EFetch's refusal shape (XML <ERROR> inside an eFetchResult, HTTP 200). */
export function efetchErrorXml(message: string): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eEfetchResult PUBLIC "-//NLM//DTD efetch 20131226//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd">\n<eFetchResult>\n\t<ERROR>${message}</ERROR>\n</eFetchResult>\n`;
}

export interface SearchExtras {
  phrasesNotFound?: string[];
  fieldsNotFound?: string[];
  phrasesIgnored?: string[];
  quotedPhrasesNotFound?: string[];
  /** Answer `{"esearchresult":{"ERROR": …}}` instead of results. */
  error?: string;
}

/**
 * ESearch JSON in NCBI's key order (test/fixtures/ncbi/esearch_pubmed_json_three_hits.json): numbers as
 * strings, retmax = ids returned. errorlist/warninglist appear, complete, only when there is something
 * to report; an empty result says "No items found." as NCBI does.
 */
export function esearchJson(o: {
  count: number;
  retstart: number;
  ids: string[];
  term: string;
  extras?: SearchExtras;
  /** usehistory=y: the handle of the stored set, where NCBI puts it (after retstart). */
  history?: { webenv: string; queryKey: string };
}): string {
  const header = { type: 'esearch', version: '0.3' };
  if (o.extras?.error !== undefined)
    return JSON.stringify({ header, esearchresult: { ERROR: o.extras.error } });
  const x = o.extras ?? {};
  const notFound = (x.phrasesNotFound?.length ?? 0) + (x.fieldsNotFound?.length ?? 0) > 0;
  const outputMessages = o.count === 0 ? ['No items found.'] : [];
  const warn =
    (x.phrasesIgnored?.length ?? 0) + (x.quotedPhrasesNotFound?.length ?? 0) + outputMessages.length > 0;
  return JSON.stringify({
    header,
    esearchresult: {
      count: String(o.count),
      retmax: String(o.ids.length),
      retstart: String(o.retstart),
      ...(o.history ? { querykey: o.history.queryKey, webenv: o.history.webenv } : {}),
      idlist: o.ids,
      translationset: [],
      querytranslation: o.term,
      ...(notFound
        ? { errorlist: { phrasesnotfound: x.phrasesNotFound ?? [], fieldsnotfound: x.fieldsNotFound ?? [] } }
        : {}),
      ...(warn || notFound
        ? {
            warninglist: {
              phrasesignored: x.phrasesIgnored ?? [],
              quotedphrasesnotfound: x.quotedPhrasesNotFound ?? [],
              outputmessages: outputMessages,
            },
          }
        : {}),
    },
  });
}

/**
 * NCBI's answer past the 10k window. The raw newline inside the JSON string is real (strict JSON parsers
 * refuse it), and so is the wording.
 */
export function esearchRetstartCapJson(): string {
  return (
    '{"header":{"type":"esearch","version":"0.3"},"esearchresult":{"ERROR":"Search Backend failed: Exception:\n' +
    "'retstart' cannot be larger than 9998. For PubMed, ESearch can only retrieve the first 9,999 records matching the query. " +
    'To obtain more than 9,999 PubMed records, consider using EDirect that contains additional logic to batch PubMed search results automatically so that an arbitrary number can be retrieved."}}'
  );
}

/** ELink neighbor_score XML in the 2010 DTD shape (test/fixtures/ncbi/elink_*.xml), links in the order given. */
export function elinkXml(source: string, links: { id: string; score?: number }[]): string {
  const body = links
    .map(
      (l) =>
        `\t\t\t<Link>\n\t\t\t\t<Id>${l.id}</Id>\n${l.score !== undefined ? `\t\t\t\t<Score>${l.score}</Score>\n` : ''}\t\t\t</Link>`,
    )
    .join('\n');
  const linkSetDb =
    links.length > 0
      ? `\t\t<LinkSetDb>\n\t\t\t<DbTo>pubmed</DbTo>\n\t\t\t<LinkName>pubmed_pubmed</LinkName>\n${body}\n\t\t</LinkSetDb>\n`
      : '';
  return (
    '<?xml version="1.0" encoding="UTF-8" ?>\n' +
    '<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink 20101123//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n' +
    `<eLinkResult>\n\n\t<LinkSet>\n\t\t<DbFrom>pubmed</DbFrom>\n\t\t<IdList>\n\t\t\t<Id>${source}</Id>\n\t\t</IdList>\n${linkSetDb}\t</LinkSet>\n</eLinkResult>\n`
  );
}

/** NCBI's 429 body (PLATFORM-FACTS §1): who was counted, how many requests, the limit. */
export function rateLimitJson(who: string, count: number, limit: number): string {
  return JSON.stringify({
    error: 'API rate limit exceeded',
    'api-key': who,
    count: String(count),
    limit: String(limit),
  });
}

/** An HTML error page of the kind NCBI's front end serves when a backend is down (sometimes with HTTP 200). */
export function htmlErrorPage(status: number): string {
  return (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>NCBI - WWW Error ' +
    `${status}</title></head><body><h1>Error ${status}</h1><p>The server encountered an internal error or misconfiguration and was unable to complete your request.</p></body></html>\n`
  );
}

/** `YYYY`, `YYYY/MM` or `YYYY/MM/DD` → the first (or last) day it covers, as a comparable YYYYMMDD number. */
export function dateBound(value: string, end: boolean): number | undefined {
  const m = /^(\d{4})(?:\/(\d{1,2})(?:\/(\d{1,2}))?)?$/.exec(value.trim());
  if (!m) return undefined;
  const month = m[2] ?? (end ? '12' : '01');
  const day = m[3] ?? (end ? '31' : '01');
  return Number(`${m[1]}${pad(month)}${pad(day)}`);
}
