// An Article as CSL-JSON, the input every citation style formats: names, the journal as each audience
// expects it, dates, full page ranges and the warnings a citation must carry. Pure data; styles/ formats.

import type { Article, Author, Notice } from './article';
import { plainText } from './richtext';

export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

export interface CslItem {
  id: string;
  type: 'article-journal' | 'book' | 'chapter';
  title: string;
  author: CslName[];
  /** Group authors kept apart, for styles that list them after the persons ("…et al; KEYNOTE-189 Investigators"). */
  contributor?: CslName[];
  editor?: CslName[];
  'container-title'?: string;
  'container-title-short'?: string;
  publisher?: string;
  'publisher-place'?: string;
  issued?: { 'date-parts': number[][] };
  volume?: string;
  issue?: string;
  page?: string;
  DOI?: string;
  PMID?: string;
  PMCID?: string;
  note?: string;
}

export interface CslOptions {
  /** Move collective names from `author` to `contributor` (AMA, Vancouver). */
  groupsApart?: boolean;
  /** The journal as printed on its cover ("Journal of Clinical Oncology"), not NLM's catalogue title (APA). */
  printedJournal?: boolean;
  /** Carry the warnings in `note` (the default, for records); reference styles append them as sentences. */
  notes?: boolean;
}

function cslName(author: Author): CslName {
  if (author.collective || !author.lastName) return { literal: author.display };
  // "JH" → "J H" so citeproc keeps every initial instead of reading one given name.
  const given = author.initials ? author.initials.split('').join(' ') : undefined;
  return given ? { family: author.lastName, given } : { family: author.lastName };
}

const MINOR_WORDS = new Set(
  'a an and as at but by for from in into nor of on or per the to up via vs with'.split(' '),
);

/**
 * NLM catalogues "Journal of clinical oncology : official journal of the American Society of Clinical
 * Oncology" and "Lancet (London, England)"; the cover says "Journal of Clinical Oncology" and "Lancet".
 * Drops the subtitle and place qualifier and title-cases what is left, keeping words already capitalised.
 */
export function printedJournalTitle(catalogued: string): string {
  const main = (catalogued.split(/\s[:=]\s/)[0] ?? catalogued).replace(/\s*\([^)]*\)\s*$/, '').trim();
  return main
    .split(' ')
    .map((word, index) => {
      if (word === '' || /[A-Z]/.test(word)) return word;
      if (index > 0 && MINOR_WORDS.has(word)) return word;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2018 May 31" → [2018, 5, 31]; seasons and MedlineDate ranges keep only the year: no month is guessed. */
export function dateParts(article: Pick<Article, 'year' | 'pubDate'>): number[] | undefined {
  if (!article.year) return undefined;
  const year = Number(article.year);
  const match = /^(\d{4}) ([A-Z][a-z]{2})(?: (\d{1,2}))?$/.exec(article.pubDate ?? '');
  if (!match || Number(match[1]) !== year) return [year];
  const month = MONTHS.indexOf(match[2] as string) + 1;
  if (month === 0) return [year];
  return match[3] ? [year, month, Number(match[3])] : [year, month];
}

/**
 * MEDLINE abbreviates the last page ("2078-92"); styles that want it whole (AMA, APA, RIS's EP) cannot
 * restore digits, while styles that abbreviate can drop them. So the item always carries the full range.
 */
export function fullPageRange(pages: string): string {
  const match = /^([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)$/.exec(pages.trim());
  if (!match) return pages;
  const [, prefix, first, endPrefix, last] = match as unknown as [string, string, string, string, string];
  if (endPrefix !== '' && endPrefix !== prefix) return pages;
  const end = last.length < first.length ? first.slice(0, first.length - last.length) + last : last;
  return `${prefix}${first}-${prefix}${end}`;
}

const NOTICE_LEAD: Partial<Record<Notice['type'], string>> = {
  retraction: 'Retraction in',
  'expression-of-concern': 'Expression of concern in',
  erratum: 'Erratum in',
  update: 'Update in',
};
const NOTICE_ORDER: Notice['type'][] = ['retraction', 'expression-of-concern', 'erratum', 'update'];

/**
 * The warnings a copied reference must keep, worded as NLM appends them: "Retraction in: Biochem J.
 * 1977;164(1):287-8. PMID: 12345." A record typed Retracted Publication whose notice is not linked still
 * says so.
 */
export function citationNotes(article: Pick<Article, 'notices' | 'retracted'>): string[] {
  const notes: string[] = [];
  for (const type of NOTICE_ORDER) {
    for (const notice of article.notices) {
      if (notice.type !== type || notice.about !== 'this') continue;
      const where = [notice.source?.replace(/\.$/, ''), notice.pmid ? `PMID: ${notice.pmid}` : undefined]
        .filter((part): part is string => Boolean(part))
        .join('. ');
      notes.push(`${NOTICE_LEAD[type] as string}: ${where === '' ? 'a linked notice' : where}.`);
    }
  }
  if (article.retracted && !notes.some((note) => note.startsWith('Retraction in'))) {
    notes.unshift('Retracted publication.');
  }
  return notes;
}

export function toCsl(article: Article, options: CslOptions = {}): CslItem {
  const chapter = article.kind === 'book' && article.bookTitle !== undefined;
  const persons = options.groupsApart ? article.authors.filter((a) => !a.collective) : article.authors;
  const groups = options.groupsApart ? article.authors.filter((a) => a.collective) : [];
  const item: CslItem = {
    id: `pmid${article.pmid}`,
    type: article.kind === 'book' ? (chapter ? 'chapter' : 'book') : 'article-journal',
    title: plainText(article.title),
    author: persons.map(cslName),
    PMID: article.pmid,
  };
  if (groups.length > 0) item.contributor = groups.map(cslName);
  if (article.editors && article.editors.length > 0) item.editor = article.editors.map(cslName);
  if (chapter) item['container-title'] = article.bookTitle;
  else if (article.kind === 'article') {
    const title = article.journalTitle ?? article.journal;
    if (title) item['container-title'] = options.printedJournal ? printedJournalTitle(title) : title;
    const short = article.medlineJournal ?? article.journal;
    if (short) item['container-title-short'] = short;
  }
  if (article.publisher) item.publisher = article.publisher;
  if (article.publisherLocation) item['publisher-place'] = article.publisherLocation;
  const issued = dateParts(article);
  if (issued) item.issued = { 'date-parts': [issued] };
  if (article.volume) item.volume = article.volume;
  if (article.issue) item.issue = article.issue;
  if (article.pages) item.page = fullPageRange(article.pages);
  if (article.doi) item.DOI = article.doi;
  if (article.pmcid) item.PMCID = article.pmcid;
  const notes = options.notes === false ? [] : citationNotes(article);
  if (notes.length > 0) item.note = notes.join(' ');
  return item;
}
