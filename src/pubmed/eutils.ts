// The E-utilities client: ONE HTTP attempt per call (esearch, efetch, elink) over undici, answers parsed.
// Retries, deadlines, the rate budget and caching are service.ts's; parsing is envelopes.ts's and xml.ts's.

import { request, type Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { parseElinkXml, parseEsearchJson, type EsearchEnvelope, type Neighbor } from './envelopes';
import { entrezError, eutilsError, parseRetryAfter, PUBMED_SOURCE, transportError } from './errors';
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

/**
 * A short, single-line excerpt of an error body for messages and logs. NCBI echoes the API key in some
 * bodies (the 429 JSON names the "api-key" it counted), so the key is masked wherever it appears.
 */
function excerpt(text: string, apiKey: string | undefined): string {
  let plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (apiKey) plain = plain.split(apiKey).join('***');
  return plain.length > 160 ? `${plain.slice(0, 157)}…` : plain;
}

/** The `error` of NCBI's 429 JSON ("API rate limit exceeded"); the rest of that body names the key. */
function rateLimitReason(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    return typeof error === 'string' ? error : '';
  } catch {
    return '';
  }
}

function withSource(error: unknown): unknown {
  if (!(error instanceof PaperbotError) || error.source !== undefined) return error;
  return new PaperbotError(error.code, error.message, {
    cause: error,
    retryable: error.retryable,
    source: PUBMED_SOURCE,
  });
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
    throw withSource(error);
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

  /**
   * One attempt: returns the body of a 200 as bytes, or throws the classified PaperbotError. Bytes, because
   * the efetch parser reads UTF-8 directly: decoding a 2 MB answer to a string first halved its speed.
   */
  async function call(utility: Utility, params: Params, post: boolean, o: AttemptOptions): Promise<Buffer> {
    const form = new URLSearchParams({ ...params, ...identity }).toString();
    const url = `${base}/${utility}.fcgi`;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(post ? url : `${url}?${form}`, {
        method: post ? 'POST' : 'GET',
        headers: post ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
        ...(post ? { body: form } : {}),
        headersTimeout: options.attemptTimeoutMs,
        bodyTimeout: options.attemptTimeoutMs,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (error) {
      throw transportError(utility, error, 'headers');
    }

    const { statusCode, headers, body } = response;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await body.arrayBuffer());
    } catch (error) {
      if (statusCode !== 200) bytes = Buffer.alloc(0);
      else throw transportError(utility, error, 'body');
    }
    // Error bodies are small and read whole; a 200 is only looked at by its head here.
    const text = UTF8.decode(statusCode === 200 ? bytes.subarray(0, HEAD_BYTES) : bytes);

    if (statusCode === 429) {
      const retryAfterSeconds = parseRetryAfter(headers['retry-after'], clock.now());
      throw eutilsError('rate_limited', `${utility}: HTTP 429 ${rateLimitReason(text)}`.trim(), {
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      });
    }
    if (statusCode >= 500)
      throw eutilsError(
        'server_error',
        `${utility}: HTTP ${statusCode} ${excerpt(text, options.apiKey)}`.trim(),
      );
    if (statusCode !== 200)
      throw eutilsError(
        'client_error',
        `${utility}: HTTP ${statusCode} ${excerpt(text, options.apiKey)}`.trim(),
      );
    // The body decides, not Content-Type: an error page is HTML whatever it is labelled, and a
    // mislabelled good answer must not be thrown away. Other damage is left to the parsers.
    if (HTML.test(text)) throw eutilsError('bad_body', `${utility}: HTML instead of data`);
    return bytes;
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
        throw new PaperbotError('bad_input', `efetch: "${bad}" is not a PMID`, { source: PUBMED_SOURCE });
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
        throw new PaperbotError('bad_input', `elink: "${pmid}" is not a PMID`, { source: PUBMED_SOURCE });
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
