// What the fake E-utilities answers to one request: searches and links tests set up, recorded records,
// scripted failures. HTTP, the request log and failure queues are ./eutils.ts's; shapes are ./eutils-data.ts's.

import {
  articleSetXml,
  dateBound,
  efetchErrorXml,
  elinkXml,
  esearchJson,
  esearchRetstartCapJson,
  htmlErrorPage,
  rateLimitJson,
  type FixtureRecord,
  type SearchExtras,
} from './eutils-data';

export type Params = Record<string, string>;
export type SearchMatch = string | RegExp | ((params: Params) => boolean);

/** A record's Entrez and modification dates (YYYY/MM/DD) as a dated search sees them. */
export interface RecordDates {
  entrez?: string;
  modified?: string;
}

/**
 * One scripted answer. Plain `{ status: 429 }` gets NCBI's real 429 body; `{ status: 5xx }` an HTML error
 * page. `hangMs` waits first (then answers as the rest says, or normally); `truncate` sends the normal
 * answer cut in half (a complete HTTP message with an incomplete document); `html` answers an HTML page
 * (HTTP 200 unless `status`); `reset` destroys the socket without answering.
 */
export interface FailStep {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  hangMs?: number;
  truncate?: boolean;
  html?: boolean;
  reset?: boolean;
}

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** NCBI's per-second request limits: per IP without a key, per api_key with one. */
export const NO_KEY_LIMIT = 3;
export const KEY_LIMIT = 10;
/** The score NCBI gives a record's link to itself in neighbor_score answers. */
const SCORE_SELF = 2147483647;
const ESEARCH_MAX_RETSTART = 9998;

const JSON_TYPE = 'application/json; charset=UTF-8';
const XML_TYPE = 'text/xml; charset=UTF-8';
const HTML_TYPE = 'text/html; charset=UTF-8';

const answer = (status: number, body: string, type: string): Answer => ({
  status,
  body,
  headers: { 'content-type': type },
});

function matches(match: SearchMatch, params: Params): boolean {
  const term = params.term ?? '';
  if (typeof match === 'string') return term.trim() === match.trim();
  if (match instanceof RegExp) return match.test(term);
  return match(params);
}

const dayNumber = (date: string): number => Number(date.replace(/\//g, ''));

export function createEutilsAnswers(
  records: ReadonlyMap<string, FixtureRecord>,
  recordedLinks: ReadonlyMap<string, string>,
) {
  let searches: { match: SearchMatch; pmids: string[] }[] = [];
  let extras: { match: SearchMatch; extras: SearchExtras }[] = [];
  let links = new Map<string, { id: string; score: number }[]>();
  let dated: { match: SearchMatch; pmids: string[] }[] = [];
  let dates = new Map<string, RecordDates>();
  let revisions = new Map<string, string>();
  let histories = new Map<string, string[]>();
  let served: string[] = [];
  let counter: ((params: Params) => number | undefined) | undefined;

  function recordDate(pmid: string, datetype: string): string | undefined {
    const own = dates.get(pmid);
    const entrez = own?.entrez ?? records.get(pmid)?.entrezDate;
    return datetype === 'mdat' ? (own?.modified ?? entrez) : entrez;
  }

  /**
   * A dated search, as PubMed answers one: the PMIDs whose date of `datetype` falls in the window, less
   * those a trailing `NOT ("from"[EDAT] : "to"[EDAT])` excludes (the only date clause this fake reads).
   */
  function datedSearch(params: Params): string[] | undefined {
    const term = params.term ?? '';
    const not = /^\((.*)\) NOT \("([\d/]+)"\[EDAT\] : "([\d/]+)"\[EDAT\]\)$/.exec(term);
    const base = not ? (not[1] ?? '') : term;
    const found = [...dated].reverse().find((d) => matches(d.match, { ...params, term: base }));
    if (!found) return undefined;
    const inWindow = (date: string | undefined, min: string, max: string): boolean =>
      date !== undefined &&
      dayNumber(date) >= (dateBound(min, false) ?? 0) &&
      dayNumber(date) <= (dateBound(max, true) ?? 0);
    return found.pmids.filter((pmid) => {
      if (params.datetype && params.mindate && params.maxdate) {
        if (!inWindow(recordDate(pmid, params.datetype), params.mindate, params.maxdate)) return false;
      }
      return !(not && inWindow(recordDate(pmid, 'edat'), not[2] ?? '', not[3] ?? ''));
    });
  }

  function recordXml(pmid: string): string | undefined {
    return revisions.get(pmid) ?? records.get(pmid)?.xml;
  }

  /** Recorded records that entered PubMed within the window, newest first, as a digest search sees them. */
  function entrezWindow(mindate: string, maxdate: string): string[] {
    const from = dateBound(mindate, false) ?? 0;
    const to = dateBound(maxdate, true) ?? 0;
    return [...records.values()]
      .filter(
        (r) => r.entrezDate !== undefined && dayNumber(r.entrezDate) >= from && dayNumber(r.entrezDate) <= to,
      )
      .sort(
        (a, b) => (b.entrezDate ?? '').localeCompare(a.entrezDate ?? '') || Number(b.pmid) - Number(a.pmid),
      )
      .map((r) => r.pmid);
  }

  function esearch(params: Params): Answer {
    if (params.db !== 'pubmed') {
      const body = {
        header: { type: 'esearch', version: '0.3' },
        esearchresult: { ERROR: `Invalid db name specified: ${params.db ?? ''}` },
      };
      return answer(200, JSON.stringify(body), JSON_TYPE);
    }
    if (params.retmode !== 'json')
      return answer(400, 'this fake serves ESearch as retmode=json only', 'text/plain');
    const term = params.term ?? '';
    const retstart = Number(params.retstart ?? '0');
    const retmax = Math.min(Number(params.retmax ?? '20'), 10_000);
    if (retstart > ESEARCH_MAX_RETSTART) return answer(200, esearchRetstartCapJson(), JSON_TYPE);
    const extra = [...extras].reverse().find((e) => matches(e.match, params))?.extras;
    const counted = counter?.(params);
    if (counted !== undefined) {
      const body = esearchJson({
        count: counted,
        retstart,
        ids: [],
        term,
        ...(extra ? { extras: extra } : {}),
      });
      return answer(200, body, JSON_TYPE);
    }
    let all = [...searches].reverse().find((s) => matches(s.match, params))?.pmids ?? datedSearch(params);
    if (!all && params.datetype === 'edat' && params.mindate && params.maxdate)
      all = entrezWindow(params.mindate, params.maxdate);
    const ids = (all ?? []).slice(retstart, retstart + retmax);
    let history: { webenv: string; queryKey: string } | undefined;
    if (params.usehistory === 'y') {
      history = { webenv: `MCID_fake${histories.size + 1}`, queryKey: '1' };
      histories.set(history.webenv, [...(all ?? [])]);
    }
    const body = esearchJson({
      count: all?.length ?? 0,
      retstart,
      ids,
      term,
      ...(extra ? { extras: extra } : {}),
      ...(history ? { history } : {}),
    });
    return answer(200, body, JSON_TYPE);
  }

  function efetch(params: Params): Answer {
    if (params.db !== 'pubmed')
      return answer(400, `Invalid db name specified: ${params.db ?? ''}`, 'text/plain');
    if (params.retmode !== undefined && params.retmode !== 'xml') {
      return answer(400, 'this fake serves EFetch as retmode=xml only', 'text/plain');
    }
    if (params.WebEnv !== undefined) {
      const set = params.query_key === '1' ? histories.get(params.WebEnv) : undefined;
      if (!set) return answer(200, efetchErrorXml('Unable to obtain query #1'), XML_TYPE);
      const start = Number(params.retstart ?? '0');
      const slice = set.slice(start, start + Number(params.retmax ?? '20'));
      served.push(...slice.filter((id) => recordXml(id) !== undefined));
      return answer(200, articleSetXml(slice.flatMap((id) => recordXml(id) ?? [])), XML_TYPE);
    }
    const ids = [
      ...new Set(
        (params.id ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.length === 0) return answer(200, efetchErrorXml('Empty id list - nothing todo'), XML_TYPE);
    served.push(...ids.filter((id) => recordXml(id) !== undefined));
    return answer(200, articleSetXml(ids.flatMap((id) => recordXml(id) ?? [])), XML_TYPE);
  }

  function elink(params: Params): Answer {
    const id = (params.id ?? '').split(',')[0]?.trim() ?? '';
    if (params.dbfrom !== 'pubmed') {
      return answer(200, efetchErrorXml('Invalid dbfrom').replace(/eFetchResult/g, 'eLinkResult'), XML_TYPE);
    }
    const set = links.get(id);
    if (!set) return answer(200, recordedLinks.get(id) ?? elinkXml(id, []), XML_TYPE);
    const withSelf = [{ id, score: SCORE_SELF }, ...set];
    const scored = params.cmd === 'neighbor_score';
    return answer(
      200,
      elinkXml(
        id,
        withSelf.map((l) => (scored ? l : { id: l.id })),
      ),
      XML_TYPE,
    );
  }

  function normal(utility: string, params: Params): Answer {
    if (utility === 'esearch') return esearch(params);
    if (utility === 'efetch') return efetch(params);
    if (utility === 'elink') return elink(params);
    return answer(404, htmlErrorPage(404), HTML_TYPE);
  }

  function rateLimited(params: Params): Answer {
    const limit = params.api_key ? KEY_LIMIT : NO_KEY_LIMIT;
    return {
      status: 429,
      body: rateLimitJson(params.api_key ?? '127.0.0.1', limit + 2, limit),
      headers: {
        'content-type': 'application/json',
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
      },
    };
  }

  function bodyType(body: string): string {
    const start = body.trimStart();
    return start.startsWith('{') ? JSON_TYPE : start.startsWith('<') ? XML_TYPE : 'text/plain';
  }

  function scripted(step: FailStep, utility: string, params: Params): Answer | 'reset' {
    if (step.reset) return 'reset';
    let out: Answer;
    if (step.html) {
      out = answer(step.status ?? 200, step.body ?? htmlErrorPage(step.status ?? 500), HTML_TYPE);
    } else if (step.truncate) {
      const full = normal(utility, params);
      out = { ...full, body: full.body.slice(0, Math.floor(full.body.length / 2)) };
    } else if (step.body !== undefined) {
      out = answer(step.status ?? 200, step.body, bodyType(step.body));
    } else if (step.status === undefined) {
      out = normal(utility, params);
    } else if (step.status === 429) {
      out = rateLimited(params);
    } else {
      out =
        step.status >= 500
          ? answer(step.status, htmlErrorPage(step.status), HTML_TYPE)
          : answer(step.status, '', 'text/plain');
    }
    return step.headers ? { ...out, headers: { ...out.headers, ...step.headers } } : out;
  }

  return {
    normal,
    scripted,
    rateLimited,
    setSearch(match: SearchMatch, pmids: string[]): void {
      searches.push({ match, pmids: [...pmids] });
    },
    setSearchExtras(match: SearchMatch, x: SearchExtras): void {
      extras.push({ match, extras: x });
    },
    /** Answers searches with this count (no PMIDs) whenever it returns a number: counts derived from the term. */
    setCounts(count: (params: Params) => number | undefined): void {
      counter = count;
    },
    setLinks(pmid: string, neighbors: { id: string; score: number }[]): void {
      links.set(pmid, [...neighbors]);
    },
    setDatedSearch(match: SearchMatch, pmids: string[]): void {
      dated.push({ match, pmids: [...pmids] });
    },
    setDates(pmid: string, d: RecordDates): void {
      dates.set(pmid, { ...dates.get(pmid), ...d });
    },
    reviseRecord(pmid: string, xml: string): void {
      revisions.set(pmid, xml);
    },
    /** Every PMID EFetch has answered with a record, in order, repeats included. */
    served: (): readonly string[] => served,
    reset(): void {
      searches = [];
      extras = [];
      links = new Map();
      dated = [];
      dates = new Map();
      revisions = new Map();
      histories = new Map();
      served = [];
      counter = undefined;
    },
  };
}
