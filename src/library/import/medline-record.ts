// One MEDLINE-format record (PubMed "Save → PubMed format", .nbib) as tagged fields → the Article model,
// with the same conventions as the PubMed XML parser. Splitting a file into records is medline.ts's.

import type { AbstractSection, Article, Author, MeshTopic, Notice } from '../../core/article';
import { evidenceOf } from '../../pubmed/evidence';
import { findNctIds } from '../../pubmed/nct';

export interface MedlineField {
  tag: string;
  /** Continuation lines joined with single spaces. */
  value: string;
  line: number;
}

export class MedlineRecordError extends Error {
  override readonly name = 'MedlineRecordError';
}

/** Comment/correction tags → how the linked record relates to this one (as RefType in the XML). */
const NOTICE_OF_TAG: ReadonlyMap<string, Pick<Notice, 'type' | 'about'>> = new Map([
  ['RIN', { type: 'retraction', about: 'this' }],
  ['ROF', { type: 'retraction', about: 'other' }],
  ['RRI', { type: 'retraction', about: 'this' }],
  ['RRF', { type: 'retraction', about: 'other' }],
  ['EIN', { type: 'erratum', about: 'this' }],
  ['EFR', { type: 'erratum', about: 'other' }],
  ['ECI', { type: 'expression-of-concern', about: 'this' }],
  ['ECF', { type: 'expression-of-concern', about: 'other' }],
  ['UIN', { type: 'update', about: 'this' }],
  ['UOF', { type: 'update', about: 'other' }],
  ['RPI', { type: 'republished', about: 'this' }],
  ['RPF', { type: 'republished', about: 'other' }],
  ['CIN', { type: 'comment', about: 'this' }],
  ['CON', { type: 'comment', about: 'other' }],
]);

const PMID = /^[1-9]\d{0,9}$/;
const SUFFIX = /^(?:Jr|Sr|2nd|3rd|[2-9]th|II|III|IV|V)$/;
const INITIALS = /^\p{Lu}{1,4}$/u;

/**
 * Labels of a structured abstract as the MEDLINE format prints them inline ("BACKGROUND: … RESULTS: …"):
 * upper-case words at the start of the text or of a sentence, then ": " and a sentence that does not start
 * in lower case ("HIV: a review" is a title, not a heading).
 */
const LABEL = /(^|[.?!)\]]\s+)([A-Z][A-Z0-9'&/,()-]*(?: [A-Z0-9'&/,()-]+){0,7}): (?!\p{Ll})/gu;

export function abstractSections(text: string): AbstractSection[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const labels: { label: string; start: number; end: number }[] = [];
  for (const match of trimmed.matchAll(LABEL)) {
    const label = match[2] as string;
    if ((label.match(/[A-Z]/g)?.length ?? 0) < 3) continue; // "HIV:"-like words are not headings
    const start = (match.index ?? 0) + (match[1] as string).length;
    labels.push({ label, start, end: start + label.length + 2 });
  }
  if (labels[0]?.start !== 0) return [{ text: [{ text: trimmed }] }];
  return labels.map((l, i) => {
    const body = trimmed.slice(l.end, labels[i + 1]?.start ?? trimmed.length).trim();
    return { label: l.label, text: [{ text: body }] };
  });
}

interface AuthorDraft {
  full?: string;
  short?: string;
  collective?: string;
  orcid?: string;
}

function authorOf(draft: AuthorDraft): Author | undefined {
  if (draft.collective !== undefined) return { display: draft.collective, collective: true };
  const fullLast = draft.full?.split(',')[0]?.trim();
  if (draft.short !== undefined) {
    // "de Hoon MJ", "Smith JA Jr": the display as PubMed prints it; initials are the last word before a suffix.
    const words = draft.short.split(/\s+/);
    const core = SUFFIX.test(words[words.length - 1] ?? '') ? words.slice(0, -1) : words;
    const tail = core[core.length - 1];
    const initials = core.length > 1 && tail !== undefined && INITIALS.test(tail) ? tail : undefined;
    const author: Author = { display: draft.short };
    const lastName = fullLast ?? (initials === undefined ? core.join(' ') : core.slice(0, -1).join(' '));
    if (lastName !== '') author.lastName = lastName;
    if (initials !== undefined) author.initials = initials;
    if (draft.orcid !== undefined) author.orcid = draft.orcid;
    return author;
  }
  if (fullLast === undefined || fullLast === '') return undefined;
  const given = draft.full?.split(',').slice(1).join(',').trim() ?? '';
  const initials = given
    .split(/[\s\-.]+/)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
  const author: Author = {
    display: initials === '' ? fullLast : `${fullLast} ${initials}`,
    lastName: fullLast,
  };
  if (initials !== '') author.initials = initials;
  if (draft.orcid !== undefined) author.orcid = draft.orcid;
  return author;
}

function meshOf(value: string): MeshTopic {
  const [descriptor = '', ...qualifiers] = value.split('/').map((part) => part.trim());
  const major = descriptor.startsWith('*') || qualifiers.some((q) => q.startsWith('*'));
  const topic: MeshTopic = { descriptor: descriptor.replace(/^\*/, ''), major };
  if (qualifiers.length > 0) topic.qualifiers = qualifiers.map((q) => q.replace(/^\*/, ''));
  return topic;
}

/** "N Engl J Med. 2020;382(8):760-762. doi: 10.1056/NEJMe2001126. PMID: 31978944" → source + pmid. */
function noticeOf(tag: string, value: string): Notice | undefined {
  const meaning = NOTICE_OF_TAG.get(tag);
  if (meaning === undefined) return undefined;
  const notice: Notice = { type: meaning.type, about: meaning.about };
  const match = /^(.*?)\.?\s*PMID:\s*(\d+)\s*$/.exec(value);
  const source = (match === null ? value : (match[1] as string)).trim();
  if (match !== null) notice.pmid = match[2] as string;
  if (source !== '') notice.source = source;
  return notice;
}

/** "10.1118/1.4748329 [doi]" → the id when its type is the one asked. */
function idOfType(value: string, type: string): string | undefined {
  const match = /^(.*\S)\s*\[([^\]]+)\]\s*$/.exec(value);
  return match !== null && match[2]?.toLowerCase() === type ? match[1] : undefined;
}

export function medlineToArticle(fields: readonly MedlineField[]): Article {
  const first = (tag: string): string | undefined => fields.find((f) => f.tag === tag)?.value;
  const all = (tag: string): string[] => fields.filter((f) => f.tag === tag).map((f) => f.value);

  const pmid = first('PMID')?.trim();
  if (pmid === undefined || pmid === '') throw new MedlineRecordError('record has no PMID');
  if (!PMID.test(pmid)) throw new MedlineRecordError(`PMID is not a number: ${JSON.stringify(pmid)}`);

  const authors: Author[] = [];
  const drafts: AuthorDraft[] = [];
  const notices: Notice[] = [];
  for (const field of fields) {
    if (field.tag === 'FAU') drafts.push({ full: field.value });
    else if (field.tag === 'AU') {
      const last = drafts[drafts.length - 1];
      if (last !== undefined && last.full !== undefined && last.short === undefined) last.short = field.value;
      else drafts.push({ short: field.value });
    } else if (field.tag === 'CN') drafts.push({ collective: field.value });
    else if (field.tag === 'AUID') {
      const orcid = /(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/i.exec(field.value)?.[1];
      const last = drafts[drafts.length - 1];
      if (orcid !== undefined && last !== undefined) last.orcid = orcid.toUpperCase();
    } else {
      const notice = noticeOf(field.tag, field.value);
      if (notice !== undefined) notices.push(notice);
    }
  }
  for (const draft of drafts) {
    const author = authorOf(draft);
    if (author !== undefined) authors.push(author);
  }

  const bookTitle = first('BTI');
  const titleText = first('TI') ?? bookTitle ?? '';
  const abstract = abstractSections(all('AB').join(' '));
  const publicationTypes = all('PT');
  const mesh = all('MH').map(meshOf);
  const trials: string[] = [];
  for (const text of [...all('SI'), titleText, ...abstract.map((s) => s.text[0]?.text ?? '')]) {
    for (const id of findNctIds(text)) if (!trials.includes(id)) trials.push(id);
  }
  const article: Article = {
    kind:
      bookTitle !== undefined && first('TA') === undefined && first('JT') === undefined ? 'book' : 'article',
    pmid,
    title: titleText === '' ? [] : [{ text: titleText }],
    abstract,
    authors,
    publicationTypes,
    evidence: evidenceOf(publicationTypes),
    retracted:
      publicationTypes.includes('Retracted Publication') ||
      notices.some((n) => n.type === 'retraction' && n.about === 'this'),
    notices,
    mesh: [...mesh.filter((m) => m.major), ...mesh.filter((m) => !m.major)],
    trials,
  };
  const doi =
    all('AID')
      .map((v) => idOfType(v, 'doi'))
      .find((v) => v !== undefined) ??
    all('LID')
      .map((v) => idOfType(v, 'doi'))
      .find((v) => v !== undefined);
  if (doi !== undefined) article.doi = doi;
  const pmcid = first('PMC')?.trim();
  if (pmcid !== undefined && /^PMC\d+$/i.test(pmcid)) article.pmcid = pmcid.toUpperCase();
  const vernacular = first('TT');
  if (vernacular !== undefined) article.vernacularTitle = vernacular;
  const journalTitle = first('JT') ?? bookTitle;
  const journal = first('TA') ?? journalTitle;
  if (journal !== undefined) article.journal = journal;
  if (journalTitle !== undefined) article.journalTitle = journalTitle;
  const medlineJournal = first('TA');
  if (medlineJournal !== undefined) article.medlineJournal = medlineJournal;
  const pubDate = first('DP')?.trim();
  if (pubDate !== undefined && pubDate !== '') {
    article.pubDate = pubDate;
    const year = /(?:^|\D)(\d{4})(?!\d)/.exec(pubDate)?.[1];
    if (year !== undefined) article.year = year;
  }
  for (const [tag, key] of [
    ['VI', 'volume'],
    ['IP', 'issue'],
    ['PG', 'pages'],
  ] as const) {
    const value = first(tag)?.trim();
    if (value !== undefined && value !== '') article[key] = value;
  }
  const languages = [
    ...new Set(
      all('LA')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== ''),
    ),
  ];
  if (languages.length > 0) article.languages = languages;
  const entrez = /^(\d{4}\/\d{2}\/\d{2})/.exec(first('EDAT')?.trim() ?? '')?.[1];
  if (entrez !== undefined) article.entrezDate = entrez;
  return article;
}
