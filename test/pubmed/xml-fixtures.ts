// Test helpers for the PubMed XML parser: recorded efetch files and lookups into parse results.
// Only reads test/fixtures (never the shared folder beside the repo); expected values live in the tests.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Article, RichText } from '../../src/core/article';
import { parseArticleSet } from '../../src/pubmed/xml';

export const NCBI_FIXTURES = join(__dirname, '..', 'fixtures', 'ncbi');

export function fixture(name: string): string {
  return readFileSync(join(NCBI_FIXTURES, name), 'utf8');
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(NCBI_FIXTURES, name));
}

export function efetchFixtures(): string[] {
  return readdirSync(NCBI_FIXTURES).filter((name) => name.startsWith('efetch_') && name.endsWith('.xml'));
}

/** Parses a fixture (or an edited copy of one) that must hold exactly one record and no problems. */
export function onlyArticle(xml: string): Article {
  const result = parseArticleSet(xml);
  expect(result.problems).toEqual([]);
  expect(result.articles).toHaveLength(1);
  return result.articles[0] as Article;
}

export function articleByPmid(articles: Article[], pmid: string): Article {
  const article = articles.find((candidate) => candidate.pmid === pmid);
  if (article === undefined) throw new Error(`no article ${pmid}`);
  return article;
}

export function plain(text: RichText): string {
  return text.map((span) => span.text).join('');
}

/** Replaces exactly one occurrence, so an edit that silently misses fails the test instead. */
export function editOnce(xml: string, from: string, to: string): string {
  const first = xml.indexOf(from);
  if (first === -1 || xml.indexOf(from, first + 1) !== -1) throw new Error(`expected one "${from}"`);
  return xml.slice(0, first) + to + xml.slice(first + from.length);
}
