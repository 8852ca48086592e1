// PubMed's baseline then its daily update files, imported in order, give PubMed's own set: a later copy of
// a record replaces the earlier one, DeleteCitation removes it, and a later file may add it back.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { importFiles, pubmedFileOrder, type ImportProblem } from '../../../src/library/import';
import type { LibraryStore } from '../../../src/library/store';
import { useTempLibraries } from '../../support/libraries';

const ASTHMA = path.join(
  __dirname,
  '..',
  '..',
  'fixtures',
  'ncbi',
  'efetch_pubmed_multi_15records_asthma_2012.xml',
);
const { fresh, write } = useTempLibraries('updates');

const records = [
  ...fs.readFileSync(ASTHMA, 'utf8').matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g),
].map((m) => m[0]);
const pmidOf = (xml: string): string => /<PMID[^>]*>(\d+)<\/PMID>/.exec(xml)?.[1] as string;
const [a, b, c] = records as [string, string, string];
const [A, B, C] = [a, b, c].map(pmidOf) as [string, string, string];

function pubmedFile(name: string, parts: string[]): string {
  const xml = `<?xml version="1.0"?>\n<PubmedArticleSet>\n${parts.join('\n')}\n</PubmedArticleSet>\n`;
  return write(name, zlib.gzipSync(xml));
}
const deletion = (...pmids: string[]): string =>
  `<DeleteCitation>\n${pmids.map((p) => `<PMID Version="1">${p}</PMID>`).join('\n')}\n</DeleteCitation>`;
const retitled = (xml: string, title: string): string =>
  xml.replace(/<ArticleTitle>[\s\S]*?<\/ArticleTitle>/, `<ArticleTitle>${title}</ArticleTitle>`);

async function run(store: LibraryStore, files: string[], parseInWorker: boolean) {
  const problems: ImportProblem[] = [];
  const summary = await importFiles(store, files, { onProblem: (p) => problems.push(p), parseInWorker });
  return { summary, problems };
}

const present = (store: LibraryStore, ...pmids: string[]): string[] =>
  store.getArticles(pmids).map((x) => x.pmid);
const hits = (store: LibraryStore, terms: string): string[] =>
  store.search({ terms, limit: 20, everyWord: true }).articles.map((x) => x.pmid);

describe.each([false, true])('baseline then updates (parse worker: %s)', (parseInWorker) => {
  it('keeps the latest copy, removes deleted records and takes back one a later file re-adds', async () => {
    expect(new Set([A, B, C]).size).toBe(3);
    const baseline = pubmedFile('pubmed26n0001.xml.gz', [a, b, c]);
    // An update file carries whole records first and its deletions last, as NLM writes them.
    const update1 = pubmedFile('pubmed26n1301.xml.gz', [
      retitled(b, 'Zanubrutinib quokka revision.'),
      deletion(C),
    ]);
    const update2 = pubmedFile('pubmed26n1302.xml.gz', [retitled(c, 'Re-added wombat record.')]);
    const store = fresh();

    const { problems } = await run(store, [baseline, update1], parseInWorker);
    expect(problems).toEqual([]);
    expect(present(store, A, B, C)).toEqual([A, B]);
    expect(store.getArticles([B])[0]?.title).toEqual([{ text: 'Zanubrutinib quokka revision.' }]);
    // The index follows the record: the new title finds it, the old one no longer does.
    expect(hits(store, 'zanubrutinib quokka')).toEqual([B]);
    const oldTitle = /<ArticleTitle>([\s\S]*?)<\/ArticleTitle>/.exec(b)?.[1] ?? '';
    expect(hits(store, oldTitle.replace(/<[^>]+>|[^\w\s]/g, ' '))).not.toContain(B);
    expect(hits(store, 'wombat')).toEqual([]);

    await run(store, [update2], parseInWorker);
    expect(present(store, A, B, C)).toEqual([A, B, C]);
    expect(hits(store, 'wombat')).toEqual([C]);
    expect(store.counts().articles).toBe(3);
  });

  it('a record deleted in the same file that carries it is gone', async () => {
    const store = fresh();
    await run(store, [pubmedFile('pubmed26n1303.xml.gz', [a, deletion(A)])], parseInWorker);
    expect(present(store, A)).toEqual([]);
  });
});

describe('a big import', () => {
  it('merges a big import into one segment, and later update files still replace and delete', async () => {
    // 12,000 copies of one record under new PMIDs: a tenth of the library at least, so it is merged.
    const copies = Array.from({ length: 12_000 }, (_, i) => a.split(`>${A}<`).join(`>${70_000_000 + i}<`));
    const store = fresh();
    const { summary } = await run(store, [pubmedFile('pubmed26n0002.xml.gz', copies)], true);
    expect(summary.inserted).toBe(12_000);
    const raw = new Database(store.path, { readonly: true });
    const index = (): { segments: number; automerge: number } => ({
      segments: raw.prepare('SELECT count(DISTINCT segid) FROM articles_fts_idx').pluck().get() as number,
      automerge: raw
        .prepare(`SELECT v FROM articles_fts_config WHERE k = 'automerge'`)
        .pluck()
        .get() as number,
    });
    expect(index()).toEqual({ segments: 1, automerge: 8 });
    const update = pubmedFile('pubmed26n1304.xml.gz', [
      retitled(copies[5] as string, 'Numbat revision of a copy.'),
      deletion('70000007', '70011999'),
    ]);
    await run(store, [update], true);
    expect(hits(store, 'numbat revision')).toEqual(['70000005']);
    expect(present(store, '70000007', '70011999', '70000008')).toEqual(['70000008']);
    expect(store.counts().articles).toBe(11_998);
    expect(index().automerge).toBe(8);
    raw.close();
  });
});

describe('an older file after a newer one', () => {
  it('applies in the order given (an older copy comes back) and says so, naming the cure', async () => {
    const store = fresh();
    const baseline = pubmedFile('pubmed26n0002.xml.gz', [b]);
    const update = pubmedFile('pubmed26n1304.xml.gz', [retitled(b, 'Newer copy.')]);
    await run(store, [baseline, update], false);
    const { problems } = await run(store, [baseline], false);
    expect(problems).toEqual([
      expect.objectContaining({
        file: baseline,
        message: expect.stringMatching(
          /older than a PubMed file imported before \(261304\).*import the later update files again/,
        ),
      }),
    ]);
    expect(store.getArticles([B])[0]?.title).not.toEqual([{ text: 'Newer copy.' }]);
    expect((await run(store, [update], false)).problems).toEqual([]);
    expect(store.getArticles([B])[0]?.title).toEqual([{ text: 'Newer copy.' }]);
  });

  it('reads the order from PubMed file names only', () => {
    expect(pubmedFileOrder('/data/pubmed26n0001.xml.gz')).toBe(260001);
    expect(pubmedFileOrder('pubmed25n1274.xml')).toBe(251274);
    expect(pubmedFileOrder('my-export.xml')).toBeUndefined();
  });
});
