// A channel's reading list as files: RIS and BibTeX (src/core/styles, warnings in their notes), CSV, and a
// printable HTML handout (one Vancouver line per reference with its badge and every warning). Pure.

import type { Article } from '../core/article';
import { formatCitation } from '../core/cite';
import { EVIDENCE_BADGES, RETRACTED_BADGE } from '../core/present/badges';
import { pubmedUrl, trialUrl } from '../core/present/links';
import { articleWarnings, groupByEvidence, latestPerItem, trialFacts } from './reading-list';
import type { WatchedShare } from './types';

export const EXPORT_FORMATS = ['ris', 'bibtex', 'csv', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportInput {
  shares: readonly WatchedShare[];
  /** Current records of the shared PMIDs; a share without one is exported from what its card showed. */
  articles: ReadonlyMap<string, Article>;
  /** Reads after "shared": "in the last 30 days", "since 2026-11-01". */
  windowLabel: string;
  /** "#tumor-board", for the handout's heading. */
  channelLabel?: string;
}

export interface ExportFile {
  filename: string;
  mime: string;
  text: string;
}

const EXTENSIONS: Record<ExportFormat, [string, string]> = {
  ris: ['ris', 'application/x-research-info-systems'],
  bibtex: ['bib', 'application/x-bibtex'],
  csv: ['csv', 'text/csv'],
  html: ['html', 'text/html'],
};

/** Shares in reading order: articles by evidence level, then trials. */
function ordered(shares: readonly WatchedShare[]): { articles: WatchedShare[]; trials: WatchedShare[] } {
  const items = latestPerItem(shares);
  return {
    articles: groupByEvidence(items).flatMap((g) => g.shares),
    trials: items.filter((s) => s.item.kind === 'trial'),
  };
}

/** The retraction status the watcher last saw wins over an older copy of the record. */
function current(share: WatchedShare, articles: ReadonlyMap<string, Article>): Article | undefined {
  const article = articles.get(share.item.id);
  if (!article || share.status.kind !== 'article' || !share.status.retracted || article.retracted)
    return article;
  return { ...article, retracted: true };
}

function trialStatusText(s: WatchedShare): string {
  return s.status.kind === 'trial' ? trialFacts(s.status, s.facts?.phases).join(' · ') : '';
}

function ris(input: ExportInput): string {
  const { articles, trials } = ordered(input.shares);
  const records = articles.map((s) => {
    const article = current(s, input.articles);
    if (article) return formatCitation(article, 'ris');
    return [
      `TY  - JOUR`,
      `TI  - ${s.title}`,
      `AN  - ${s.item.id}`,
      `UR  - ${pubmedUrl(s.item.id) ?? ''}`,
      ...warningsOf(s).map((w) => `N1  - ${w}`),
      'ER  - ',
    ].join('\n');
  });
  for (const t of trials)
    records.push(
      [
        `TY  - DBASE`,
        `TI  - ${t.title}`,
        `AN  - ${t.item.id}`,
        `DB  - ClinicalTrials.gov`,
        `UR  - ${trialUrl(t.item.id)}`,
        `N1  - ${trialStatusText(t)}`,
        'ER  - ',
      ].join('\n'),
    );
  return `${records.join('\n\n')}\n`;
}

const bibEscape = (text: string): string => text.replace(/([{}\\&%$#_])/g, '\\$1');

function bibtex(input: ExportInput): string {
  const { articles, trials } = ordered(input.shares);
  const records = articles.map((s) => {
    const article = current(s, input.articles);
    if (article) return formatCitation(article, 'bibtex');
    return `@article{pmid${s.item.id},\n  title = {${bibEscape(s.title)}},\n  note = {${bibEscape(['PMID ' + s.item.id, ...warningsOf(s)].join('. '))}}\n}`;
  });
  for (const t of trials)
    records.push(
      `@misc{${t.item.id},\n  title = {${bibEscape(t.title)}},\n  howpublished = {ClinicalTrials.gov ${t.item.id}},\n  url = {${trialUrl(t.item.id)}},\n  note = {${bibEscape(trialStatusText(t))}}\n}`,
    );
  return `${records.join('\n\n')}\n`;
}

function warningsOf(s: WatchedShare): string[] {
  return s.status.kind === 'article'
    ? articleWarnings(s.status).map((w) => w.replace(`${RETRACTED_BADGE.emoji.char} `, ''))
    : [];
}

/** RFC 4180 quoting; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(input: ExportInput): string {
  const header = [
    'type',
    'id',
    'title',
    'authors',
    'journal',
    'year',
    'evidence',
    'status',
    'warnings',
    'shared_at',
    'shared_by',
    'url',
  ];
  const { articles, trials } = ordered(input.shares);
  const rows = articles.map((s) => {
    const a = current(s, input.articles);
    return [
      'article',
      s.item.id,
      s.title,
      (a ? a.authors.map((x) => x.display) : (s.facts?.authors ?? [])).join('; '),
      a?.journal ?? s.facts?.journal ?? '',
      a?.year ?? s.facts?.year ?? '',
      EVIDENCE_BADGES[s.facts?.evidence ?? 'other']?.label ?? '',
      s.status.kind === 'article' && s.status.retracted ? 'Retracted' : '',
      warningsOf(s).join('; '),
      new Date(s.at).toISOString(),
      s.by.name ?? s.by.id,
      pubmedUrl(s.item.id) ?? '',
    ];
  });
  for (const t of trials)
    rows.push([
      'trial',
      t.item.id,
      t.title,
      '',
      '',
      '',
      '',
      trialStatusText(t),
      '',
      new Date(t.at).toISOString(),
      t.by.name ?? t.by.id,
      trialUrl(t.item.id),
    ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Prints on A4 and Letter alike: margins in mm, no fixed page size, one line per reference kept whole. */
const HANDOUT_CSS = `
@page { margin: 16mm 14mm; }
body { font: 10.5pt/1.35 Georgia, 'Times New Roman', serif; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font: bold 15pt Helvetica, Arial, sans-serif; margin: 0 0 2mm; }
.sub { font: 9pt Helvetica, Arial, sans-serif; color: #444; margin: 0 0 6mm; }
h2 { font: bold 11pt Helvetica, Arial, sans-serif; border-bottom: 0.3mm solid #999; margin: 5mm 0 2mm; }
ol { margin: 0; padding-left: 7mm; }
li { margin: 0 0 1.8mm; break-inside: avoid; page-break-inside: avoid; }
.badge { font: bold 8pt Helvetica, Arial, sans-serif; border: 0.25mm solid #555; border-radius: 1mm; padding: 0 1mm; margin-right: 1.5mm; }
.warn { font: bold 8.5pt Helvetica, Arial, sans-serif; color: #b00020; border-color: #b00020; }
.note { color: #b00020; font-style: italic; }
footer { font: 8pt Helvetica, Arial, sans-serif; color: #555; margin-top: 6mm; }
@media print { a { color: inherit; text-decoration: none; } }
`;

function handoutLine(s: WatchedShare, input: ExportInput): string {
  const article = current(s, input.articles);
  const badge = EVIDENCE_BADGES[s.facts?.evidence ?? 'other'];
  const retracted = s.status.kind === 'article' && s.status.retracted;
  const warnings = warningsOf(s).filter((w) => w !== 'RETRACTED');
  const cited = article
    ? formatCitation(article, 'vancouver')
    : `${s.title}. ${[s.facts?.journal, s.facts?.year].filter(Boolean).join(' ')}.`;
  // The PMID lets a reader of the printout find the record; Vancouver itself may not print it.
  const text = cited.includes(`PMID: ${s.item.id}`) ? cited : `${cited} PMID: ${s.item.id}.`;
  return [
    '<li>',
    retracted
      ? `<span class="badge warn">RETRACTED</span>`
      : badge
        ? `<span class="badge">${esc(badge.short)}</span>`
        : '',
    ...warnings.map((w) => `<span class="badge warn">${esc(w)}</span>`),
    esc(text),
    '</li>',
  ].join('');
}

function html(input: ExportInput): string {
  const items = latestPerItem(input.shares);
  const groups = groupByEvidence(items);
  const trials = items.filter((s) => s.item.kind === 'trial');
  const sections = groups.map(
    (g) =>
      `<h2>${esc(EVIDENCE_BADGES[g.evidence]?.label ?? 'Other articles')}</h2>\n<ol>${g.shares.map((s) => handoutLine(s, input)).join('\n')}</ol>`,
  );
  if (trials.length > 0)
    sections.push(
      `<h2>Clinical trials</h2>\n<ol>${trials
        .map(
          (t) =>
            `<li><span class="badge">${esc(t.item.id)}</span>${esc(t.title)} — ${esc(trialStatusText(t))}. ${esc(trialUrl(t.item.id))}</li>`,
        )
        .join('\n')}</ol>`,
    );
  if (sections.length === 0) sections.push(`<p>Nothing was shared ${esc(input.windowLabel)}.</p>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reading list</title><style>${HANDOUT_CSS}</style></head>
<body>
<h1>Reading list${input.channelLabel ? ` — ${esc(input.channelLabel)}` : ''}</h1>
<p class="sub">Shared ${esc(input.windowLabel)}. Status as paperbot last checked PubMed and ClinicalTrials.gov.</p>
${sections.join('\n')}
<footer>Retractions, expressions of concern and errata are marked in red. Check the source before relying on a reference.</footer>
</body></html>
`;
}

export function exportReadingList(format: ExportFormat, input: ExportInput): ExportFile {
  const [extension, mime] = EXTENSIONS[format];
  const text =
    format === 'ris'
      ? ris(input)
      : format === 'bibtex'
        ? bibtex(input)
        : format === 'csv'
          ? csv(input)
          : html(input);
  return { filename: `reading-list.${extension}`, mime, text };
}
