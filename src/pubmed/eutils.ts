// The E-utilities client: ONE HTTP attempt per call (esearch, efetch, elink) on the source kit, answers parsed.
// Retries, deadlines, the rate budget and caching are service.ts's; parsing is envelopes.ts's and xml.ts's.

import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import { asSourceError, sourceError } from '../sources/errors';
import { bodyExcerpt, createHttpAttempt, statusError } from '../sources/http';
import { parseElinkXml, parseEsearchJson, type EsearchEnvelope, type Neighbor } from './envelopes';
import { entrezError, PUBMED_SOURCE } from './errors';
import { parseArticleSet } from './xml';

export type Utility = 'esearch' | 'efetch' | 'elink';
export type ArticleSet = ReturnType<typeof parseArticleSet>;

export interface EutilsClientOptions {
  /** E-utilities base, e.g. https://eutils.ncbi.nlm.nih.gov/entrez/eutils (no trailing slash needed). */
  baseUrl: string;
  /** Our registered tool name (no spaces) and the developer's e-mail, sent on every call as NCBI asks. */
  tool: string;
  email?: string;
  apiKey?: string;
  /** undici's global dispatcher when absent. */
  dispatcher?: Dispatcher;
  /** Longest wait for the headers, and between two chunks of the body, in one attempt. */
  attemptTimeoutMs: number;
  /** Only to read Retry-After dates; the system clock by default. */
  clock?: Clock;
}

export interface EsearchRequest {
  term: string;
  retstart: number;
  retmax: number;
  /** Always sent: ESearch's default order is not the website's. */
  sort: 'relevance' | 'pub_date';
  datetype?: 'edat' | 'pdat' | 'mdat';
  /** `YYYY`, `YYYY/MM` or `YYYY/MM/DD`; only together. */
  mindate?: string;
  maxdate?: string;
  reldate?: number;
  /** Keep the whole result set on NCBI's history server (the answer's `history`), for efetchHistory. */
  usehistory?: boolean;
}

/** A slice of a result set kept on the history server (ESearch with usehistory=y). */
export interface HistorySlice {
  webenv: string;
  queryKey: string;
  retstart: number;
  retmax: number;
}

export interface AttemptOptions {
  /** Aborts the attempt (the caller's deadline); its reason is rethrown when it is a PaperbotError. */
  signal?: AbortSignal;
}

export interface EutilsClient {
  esearch(req: EsearchRequest, o?: AttemptOptions): Promise<EsearchEnvelope>;
  /** The records NCBI has among `pmids`; unknown ones are simply absent, as in NCBI's answer. */
  efetch(pmids: readonly string[], o?: AttemptOptions): Promise<ArticleSet>;
  /** The records of one slice of a history-server result set, in the set's order. */
  efetchHistory(slice: HistorySlice, o?: AttemptOptions): Promise<ArticleSet>;
  /** pubmed_pubmed neighbours of one PMID, best first, without the PMID itself. */
  elink(pmid: string, o?: AttemptOptions): Promise<Neighbor[]>;
}

/** NCBI asks for POST above ~200 UIDs; long terms go by POST too, keeping URLs well under server limits. */
export const EFETCH_GET_MAX_IDS = 200;
export const ESEARCH_GET_MAX_TERM_CHARS = 1500;
/** ESearch and EFetch serve at most 10,000 records per call. */
export const EUTILS_MAX_RETMAX = 10_000;

const PMID = /^\d{1,9}$/;
const HTML = /^\s*<(!doctype html|html)[\s>]/i;

type Params = Record<string, string>;

/** The `error` of NCBI's 429 JSON ("API rate limit exceeded"); the rest of that body names the key. */
function rateLimitReason(body: Buffer): string {
  try {
    const parsed: unknown = JSON.parse(UTF8.decode(body));
    const error =
      typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    return typeof error === 'string' ? error : '';
  } catch {
    return '';
  }
}

/** Enough of a body to tell an HTML page or an XML <ERROR> answer from data. */
const HEAD_BYTES = 4096;

/** What undici's body.text() does: UTF-8, a byte-order mark dropped. */
const UTF8 = new TextDecoder('utf-8');

/** XML <ERROR> answers ("<eFetchResult><ERROR>Empty id list - nothing todo</ERROR>…") come with HTTP 200. */
function xmlError(head: string): string | undefined {
  const match = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!DOCTYPE[^>]*>\s*)?<(\w+)>\s*<ERROR>([\s\S]*?)<\/ERROR>/.exec(
    head,
  );
  return match && match[1] !== 'PubmedArticleSet' ? (match[2] ?? '') : undefined;
}

/** An EFetch answer's records, or the refusal it carries instead (with HTTP 200). */
function articleSet(bytes: Buffer): ArticleSet {
  const refusal = xmlError(UTF8.decode(bytes.subarray(0, HEAD_BYTES)));
  if (refusal !== undefined) throw entrezError('efetch', refusal);
  try {
    return parseArticleSet(bytes);
  } catch (error) {
    throw asSourceError(PUBMED_SOURCE, error);
  }
}

export function createEutilsClient(options: EutilsClientOptions): EutilsClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const identity: Params = {
    tool: options.tool,
    ...(options.email ? { email: options.email } : {}),
    ...(options.apiKey ? { api_key: options.apiKey } : {}),
  };
  const attempt = createHttpAttempt({
    source: PUBMED_SOURCE,
    clock,
    idleTimeoutMs: options.attemptTimeoutMs,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  // NCBI's error pages echo the request URL (e-mail included) and its 429 JSON the key: masked in logs too.
  const secrets = [options.apiKey, options.email, options.email && encodeURIComponent(options.email)];

  /** One attempt: the body of a 200 as bytes, or the classified error. */
  async function call(utility: Utility, params: Params, post: boolean, o: AttemptOptions): Promise<Buffer> {
    const form = new URLSearchParams({ ...params, ...identity }).toString();
    const url = new URL(`${base}/${utility}.fcgi`);
    if (!post) url.search = form;
    const answer = await attempt(utility, {
      url,
      method: post ? 'POST' : 'GET',
      ...(post ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (answer.status !== 200) {
      const detail = answer.status === 429 ? rateLimitReason(answer.body) : bodyExcerpt(answer.body, secrets);
      throw statusError(PUBMED_SOURCE, utility, answer, {
        nowMs: clock.now(),
        message: `${utility}: HTTP ${answer.status} ${detail}`.trim(),
      });
    }
    // The body decides, not Content-Type: an error page is HTML whatever it is labelled, and a
    // mislabelled good answer must not be thrown away. Other damage is left to the parsers.
    if (HTML.test(UTF8.decode(answer.body.subarray(0, HEAD_BYTES))))
      throw sourceError(PUBMED_SOURCE, 'bad_body', `${utility}: HTML instead of data`);
    return answer.body;
  }

  return {
    async esearch(req, o = {}) {
      const params: Params = {
        db: 'pubmed',
        retmode: 'json',
        term: req.term,
        retstart: String(req.retstart),
        retmax: String(Math.min(req.retmax, EUTILS_MAX_RETMAX)),
        sort: req.sort,
        ...(req.datetype ? { datetype: req.datetype } : {}),
        ...(req.mindate && req.maxdate ? { mindate: req.mindate, maxdate: req.maxdate } : {}),
        ...(req.reldate !== undefined ? { reldate: String(req.reldate) } : {}),
        ...(req.usehistory ? { usehistory: 'y' } : {}),
      };
      const post = encodeURIComponent(req.term).length > ESEARCH_GET_MAX_TERM_CHARS;
      const envelope = parseEsearchJson(UTF8.decode(await call('esearch', params, post, o)));
      const fatal = envelope.errors[0];
      if (fatal !== undefined) throw entrezError('esearch', fatal);
      return envelope;
    },

    async efetch(pmids, o = {}) {
      const bad = pmids.find((id) => !PMID.test(id));
      if (bad !== undefined) {
        throw sourceError(PUBMED_SOURCE, 'bad_input', `efetch: "${bad}" is not a PMID`);
      }
      if (pmids.length === 0) return { articles: [], deleted: [], problems: [] };
      const params: Params = { db: 'pubmed', retmode: 'xml', id: pmids.join(',') };
      return articleSet(await call('efetch', params, pmids.length > EFETCH_GET_MAX_IDS, o));
    },

    async efetchHistory(slice, o = {}) {
      const params: Params = {
        db: 'pubmed',
        retmode: 'xml',
        WebEnv: slice.webenv,
        query_key: slice.queryKey,
        retstart: String(slice.retstart),
        retmax: String(Math.min(slice.retmax, EUTILS_MAX_RETMAX)),
      };
      return articleSet(await call('efetch', params, false, o));
    },

    async elink(pmid, o = {}) {
      if (!PMID.test(pmid)) {
        throw sourceError(PUBMED_SOURCE, 'bad_input', `elink: "${pmid}" is not a PMID`);
      }
      const params: Params = {
        dbfrom: 'pubmed',
        db: 'pubmed',
        linkname: 'pubmed_pubmed',
        cmd: 'neighbor_score',
        retmode: 'xml',
        id: pmid,
      };
      return parseElinkXml(UTF8.decode(await call('elink', params, false, o)));
    },
  };
}
