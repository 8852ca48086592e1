// Article and trial records → the neutral cards adapters render, with their buttons as core commands.
// Decides what a card holds and offers (Abstract, Similar, Cite, Trials, Share); wording is present/'s.

import type { Article } from './article';
import { CITATION_FORMATS } from './cite';
import { articleLinks, trialUrl } from './present/links';
import { citationStyleLabel } from './present/styles';
import type { Action, ArticleCard, TrialCard } from './reply';
import { plainText } from './richtext';
import type { Trial } from './trial';
import { trialSites, type SiteLookout } from './trial-sites';

export interface CardOptions {
  detail: 'summary' | 'full';
  source: 'pubmed' | 'library';
  stale: boolean;
}

export function citationLine(article: Pick<Article, 'volume' | 'issue' | 'pages'>): string | undefined {
  if (!article.volume && !article.issue && !article.pages) return undefined;
  let line = article.volume ?? '';
  if (article.issue) line += `(${article.issue})`;
  if (article.pages) line += `${line ? ':' : ''}${article.pages}`;
  return line;
}

function articleActions(article: Article, detail: CardOptions['detail']): Action[] {
  const actions: Action[] = [];
  if (detail === 'summary' && article.abstract.length > 0)
    actions.push({ id: 'abstract', label: 'Abstract', command: `show ${article.pmid}` });
  actions.push({ id: 'similar', label: 'Similar', command: `similar ${article.pmid}` });
  actions.push({
    id: 'cite',
    label: 'Cite',
    command: `cite ${article.pmid} ama`,
    options: CITATION_FORMATS.map((f) => ({
      label: citationStyleLabel(f),
      command: `cite ${article.pmid} ${f}`,
    })),
  });
  if (article.trials.length > 0)
    actions.push({
      id: 'trials',
      label: article.trials.length === 1 ? 'Trial' : `Trials (${article.trials.length})`,
      command: `trial ${article.trials.slice(0, 10).join(' ')}`,
    });
  actions.push({ id: 'share', label: 'Share to channel', command: `share ${article.pmid}` });
  return actions;
}

export function articleCard(article: Article, options: CardOptions): ArticleCard {
  const card: ArticleCard = {
    type: 'article',
    pmid: article.pmid,
    title: plainText(article.title),
    titleRich: article.title,
    authors: article.authors.map((a) => a.display),
    publicationTypes: article.publicationTypes,
    evidence: article.evidence,
    retracted: article.retracted,
    notices: article.notices,
    abstract: article.abstract.map((s) => ({
      ...(s.label ? { label: s.label } : {}),
      text: plainText(s.text),
      rich: s.text,
    })),
    mesh: article.mesh.map((m) => m.descriptor),
    trials: article.trials,
    links: articleLinks(article),
    source: options.source,
    stale: options.stale,
    detail: options.detail,
    actions: articleActions(article, options.detail),
  };
  if (article.doi) card.doi = article.doi;
  if (article.pmcid) card.pmcid = article.pmcid;
  if (article.journal) card.journal = article.journal;
  if (article.year) card.year = article.year;
  const citation = citationLine(article);
  if (citation) card.citation = citation;
  return card;
}

const ROLE_ORDER = ['RESULT', 'BACKGROUND', undefined, 'DERIVED'];

function roleRank(type: string | undefined): number {
  const i = ROLE_ORDER.indexOf(type);
  return i < 0 ? ROLE_ORDER.indexOf(undefined) : i;
}

export function trialCard(
  trial: Trial,
  options: {
    detail: 'summary' | 'full';
    source: 'clinicaltrials' | 'library';
    stale: boolean;
    pubmedLinked?: string[];
    section?: 'eligibility';
    /** Where the board looks from; summary cards name sites only with one, full cards always. */
    lookout?: SiteLookout;
  },
): TrialCard {
  const linked = new Set(options.pubmedLinked ?? []);
  const publications: TrialCard['publications'] = trial.references
    .filter((r) => r.pmid)
    .map((r) => ({
      pmid: r.pmid as string,
      ...(r.type ? { type: r.type } : {}),
      ...(r.citation ? { citation: r.citation } : {}),
      ...(linked.has(r.pmid as string) ? { linkedInPubmed: true } : {}),
    }));
  for (const pmid of linked)
    if (!publications.some((p) => p.pmid === pmid)) publications.push({ pmid, linkedInPubmed: true });
  // The trial's own results first; DERIVED (PubMed's automatic links, often reviews citing it) last.
  publications.sort((a, b) => roleRank(a.type) - roleRank(b.type));
  const actions: Action[] = [];
  if (options.detail === 'summary' && trial.briefSummary)
    actions.push({ id: 'summary', label: 'Summary', command: `trial ${trial.nct}` });
  if (options.detail === 'full' && !options.section && trial.eligibility?.criteria)
    actions.push({ id: 'eligibility', label: 'Eligibility', command: `trial ${trial.nct} eligibility` });
  for (const pub of publications.slice(0, 3))
    actions.push({ id: 'publication', label: `PMID ${pub.pmid}`, command: `show ${pub.pmid}` });
  const sites =
    options.section === undefined && (options.lookout || options.detail === 'full')
      ? trialSites(trial, options.lookout)
      : undefined;
  // The card keeps the sites it names (in `sites`), not the record's whole list: a study can list over a
  // thousand, and adapters hold recent replies in memory.
  const { sites: _allSites, ...lean } = trial;
  return {
    type: 'trial',
    trial: lean,
    publications,
    links: { clinicalTrials: trialUrl(trial.nct) },
    source: options.source,
    stale: options.stale,
    detail: options.detail,
    ...(options.section ? { section: options.section } : {}),
    ...(sites ? { sites } : {}),
    actions,
  };
}
