// The shape Unpaywall and Crossref share: one request per DOI, run side by side at most `limit` at a time
// (inside their rate budgets), a failure for one DOI costing only that DOI's signal.

import type { ArticleRef } from '../core/signals';

/**
 * `ask` for every article with a DOI (once per DOI), at most `limit` at a time. Answers by PMID, leaving
 * out articles without a DOI or an answer. Rejects only when every request failed, with the first error.
 */
export async function perDoi<T>(
  articles: readonly ArticleRef[],
  limit: number,
  ask: (doi: string) => Promise<T | undefined>,
): Promise<Map<string, T>> {
  const byDoi = new Map<string, string[]>();
  for (const a of articles) {
    const doi = a.doi?.trim();
    if (!doi) continue;
    const key = doi.toLowerCase();
    byDoi.set(key, [...(byDoi.get(key) ?? []), a.pmid]);
  }
  const dois = [...byDoi.keys()];
  const out = new Map<string, T>();
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < dois.length; i = next++) {
      const doi = dois[i] as string;
      try {
        const value = await ask(doi);
        if (value !== undefined) for (const pmid of byDoi.get(doi) ?? []) out.set(pmid, value);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, dois.length) }, worker));
  if (dois.length > 0 && errors.length === dois.length) throw errors[0];
  return out;
}
