// Citations of one Article in AMA, Vancouver, APA, BibTeX and RIS, through citation-js (CSL-JSON → citeproc).
// AMA is our own CSL template (styles/ama.ts): citation-js bundles only APA, Vancouver and Harvard.

import type { Article } from './article';
import { plainText } from './richtext';
import { AMA_CSL } from './styles/ama';
import type { CitationFormat } from './reply';

export const CITATION_FORMATS: readonly CitationFormat[] = ['ama', 'vancouver', 'apa', 'bibtex', 'ris'];

const AMA_TEMPLATE = 'paperbot-ama';

interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

interface CslItem {
  id: string;
  type: 'article-journal' | 'book' | 'chapter';
  title: string;
  author: CslName[];
  'container-title'?: string;
  'container-title-short'?: string;
  issued?: { 'date-parts': number[][] };
  volume?: string;
  issue?: string;
  page?: string;
  DOI?: string;
  PMID?: string;
  PMCID?: string;
  URL?: string;
}

interface CslConfig {
  styles: { add(name: string, xml: string): void; has(name: string): boolean };
}

type CitationJs = typeof import('@citation-js/core');
let citationJs: CitationJs | undefined;

/**
 * citation-js with its plugins and our AMA template, loaded on the first citation: about 13 MB that a
 * process answering searches never needs. The AMA template joins citation-js's own registry once.
 */
function loadCitationJs(): CitationJs {
  if (citationJs) return citationJs;
  /* eslint-disable @typescript-eslint/no-require-imports -- on demand, see above */
  const core = require('@citation-js/core') as CitationJs;
  require('@citation-js/plugin-csl');
  require('@citation-js/plugin-bibtex');
  require('@citation-js/plugin-ris');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const csl = core.plugins.config.get('@csl') as CslConfig;
  if (!csl.styles.has(AMA_TEMPLATE)) csl.styles.add(AMA_TEMPLATE, AMA_CSL);
  citationJs = core;
  return core;
}

function cslName(author: Article['authors'][number]): CslName {
  if (author.collective || !author.lastName) return { literal: author.display };
  // "JH" → "J H" so citeproc keeps every initial instead of reading one given name.
  const given = author.initials ? author.initials.split('').join(' ') : undefined;
  return given ? { family: author.lastName, given } : { family: author.lastName };
}

export function toCsl(article: Article): CslItem {
  const item: CslItem = {
    id: `pmid${article.pmid}`,
    type: article.kind === 'book' ? 'book' : 'article-journal',
    title: plainText(article.title),
    author: article.authors.map(cslName),
    PMID: article.pmid,
  };
  if (article.journalTitle) item['container-title'] = article.journalTitle;
  if (article.journal) item['container-title-short'] = article.journal;
  if (!item['container-title'] && article.journal) item['container-title'] = article.journal;
  if (article.year) item.issued = { 'date-parts': [[Number(article.year)]] };
  if (article.volume) item.volume = article.volume;
  if (article.issue) item.issue = article.issue;
  if (article.pages) item.page = article.pages;
  if (article.doi) item.DOI = article.doi;
  if (article.pmcid) item.PMCID = article.pmcid;
  return item;
}

/** RIS readers expect one tag per line; citation-js folds long values, so rejoin continuation lines. */
function unfoldRis(ris: string): string {
  const lines: string[] = [];
  for (const line of ris.split(/\r?\n/)) {
    if (line === '') continue;
    if (/^[A-Z][A-Z0-9] {2}- ?/.test(line) || lines.length === 0) lines.push(line);
    else lines[lines.length - 1] += line;
  }
  return lines.join('\n') + '\n';
}

export function formatCitation(article: Article, format: CitationFormat): string {
  const cite = new (loadCitationJs().Cite)([toCsl(article)]);
  switch (format) {
    case 'bibtex':
      return String(cite.format('bibtex')).trim();
    case 'ris':
      return unfoldRis(String(cite.format('ris'))).trim();
    case 'ama':
    case 'vancouver':
    case 'apa': {
      const template = format === 'ama' ? AMA_TEMPLATE : format;
      const text = String(cite.format('bibliography', { format: 'text', template, lang: 'en-US' }));
      // Vancouver numbers its entries; a single citation needs no "1. ".
      return text.trim().replace(/^1\.\s+/, '');
    }
  }
}
