// Where a card's identifiers point: PubMed, doi.org, PMC and ClinicalTrials.gov addresses, built once.
// An identifier that is not what it claims to be yields no link rather than a link somewhere else.

import type { Article } from '../article';
import type { Links } from '../reply';

const PMID = /^\d{1,9}$/;
const NCT = /^NCT\d{8}$/;

/**
 * http(s) only, with the characters a URL may not carry (quotes, angle brackets, braces, "|", "\\", "^", "`")
 * percent-encoded: DOIs may contain them. Anything else yields no link. Platforms add their own escaping.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return undefined;
  return url.replace(
    /["<>\\^`{|}]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

export function isPmid(id: string): boolean {
  return PMID.test(id);
}

export function isNct(id: string): boolean {
  return NCT.test(id);
}

export function pubmedUrl(pmid: string): string | undefined {
  return isPmid(pmid) ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` : undefined;
}

export function trialUrl(nct: string): string {
  return `https://clinicaltrials.gov/study/${encodeURIComponent(nct)}`;
}

/** The study's results tab, for studies whose record says results are posted. */
export function trialResultsUrl(nct: string): string {
  return `${trialUrl(nct)}?tab=results`;
}

export function articleLinks(article: Pick<Article, 'pmid' | 'doi' | 'pmcid'>): Links {
  const links: Links = { pubmed: `https://pubmed.ncbi.nlm.nih.gov/${article.pmid}/` };
  if (article.doi) links.doi = `https://doi.org/${article.doi}`;
  if (article.pmcid) links.pmc = `https://pmc.ncbi.nlm.nih.gov/articles/${article.pmcid}/`;
  return links;
}

/** The link on an article card's title: the card's own, else one built from a valid PMID. */
export function articleUrl(card: { pmid: string; links: Links }): string | undefined {
  return card.links.pubmed ?? pubmedUrl(card.pmid);
}

/** A card's links in the order platforms offer them as buttons. */
export function linkButtons(links: Links): { label: string; url: string }[] {
  const buttons: { label: string; url: string }[] = [];
  if (links.pubmed) buttons.push({ label: 'PubMed', url: links.pubmed });
  if (links.doi) buttons.push({ label: 'DOI', url: links.doi });
  if (links.pmc) buttons.push({ label: 'PMC', url: links.pmc });
  if (links.clinicalTrials) buttons.push({ label: 'ClinicalTrials.gov', url: links.clinicalTrials });
  return buttons;
}

/** PubMed's website running one search (an Entrez term): where every count of an evidence map points. */
export function pubmedSearchUrl(term: string): string | undefined {
  const trimmed = term.trim();
  return trimmed ? `https://pubmed.ncbi.nlm.nih.gov/?term=${encodeURIComponent(trimmed)}` : undefined;
}
