// importFiles with the parse worker: the same library as parsing in this thread, broken records and
// broken files reported with their position, a consistent database after a failure mid-file, flow
// control over many batches, and a failing database that stops the worker.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PaperbotError } from '../../../src/core/errors';
import { importFiles, type ImportProblem, type ImportProgress } from '../../../src/library/import';
import type { LibraryStore } from '../../../src/library/store';
import { useTempLibraries } from '../../support/libraries';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'ncbi');
const ASTHMA = path.join(FIXTURES, 'efetch_pubmed_multi_15records_asthma_2012.xml');
const ONCOLOGY = path.join(FIXTURES, 'efetch_pubmed_multi_93records_oncology_2019.xml');
const METRIC = path.join(FIXTURES, 'efetch_pubmed_rct_phase3_databank_22663011.xml');

const { fresh, write } = useTempLibraries('worker');

async function run(store: LibraryStore, files: string[], parseInWorker: boolean, batchSize?: number) {
  const problems: ImportProblem[] = [];
  const progress: ImportProgress[] = [];
  const summary = await importFiles(store, files, {
    parseInWorker,
    onProblem: (p) => problems.push(p),
    onProgress: (p) => progress.push(p),
    ...(batchSize ? { batchSize } : {}),
  });
  return { summary, problems, progress };
}

/** A PubmedArticleSet of the oncology file's records repeated with new PMIDs: `copies` × 93 records. */
function repeated(copies: number): { file: string; pmids: string[] } {
  const xml = fs.readFileSync(ONCOLOGY, 'utf8');
  const records = [...xml.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)].map((m) => m[0]);
  const pmids: string[] = [];
  const body: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const record of records) {
      const own = /<PMID[^>]*>(\d+)<\/PMID>/.exec(record)?.[1] as string;
      const pmid = String(80_000_000 + pmids.length);
      pmids.push(pmid);
      body.push(record.split(`>${own}<`).join(`>${pmid}<`));
    }
  }
  const file = write(
    `oncology-x${copies}.xml`,
    `<?xml version="1.0"?>\n<PubmedArticleSet>\n${body.join('\n')}\n</PubmedArticleSet>\n`,
  );
  return { file, pmids };
}

/** Every row of the full-text index carries the "every record" facet: its count is the index's size. */
function indexed(store: LibraryStore): number {
  return store.search({ terms: '', limit: 0 }).total;
}

describe('the parse worker', () => {
  it('builds the same library as parsing in this thread', async () => {
    const here = fresh();
    const there = fresh();
    const a = await run(here, [ASTHMA, ONCOLOGY], false);
    const b = await run(there, [ASTHMA, ONCOLOGY], true);
    expect(b.summary).toMatchObject({ ...a.summary, seconds: expect.any(Number) });
    const pmids = [
      ...fs
        .readFileSync(ONCOLOGY, 'utf8')
        .matchAll(/<PubmedArticle>\s*<MedlineCitation[^>]*>\s*<PMID[^>]*>(\d+)/g),
    ].map((m) => m[1] as string);
    expect(there.getArticles(pmids)).toEqual(here.getArticles(pmids));
    expect(there.search({ terms: 'melanoma', limit: 20 })).toEqual(
      here.search({ terms: 'melanoma', limit: 20 }),
    );
    expect(indexed(there)).toBe(there.counts().articles);
  });

  it('reads .xml.gz, and the last progress report has every byte and record', async () => {
    const gz = write('oncology.xml.gz', zlib.gzipSync(fs.readFileSync(ONCOLOGY)));
    const { summary, progress } = await run(fresh(), [gz], true, 10);
    expect(summary.records).toBe(93);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({
      file: gz,
      records: 93,
      bytes: fs.statSync(gz).size,
      totalBytes: fs.statSync(gz).size,
    });
    const counts = progress.map((p) => p.records);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
  });

  it('reports a broken record mid-file with its index and line, and imports the rest', async () => {
    const xml = fs.readFileSync(ASTHMA, 'utf8');
    const victim = /<PubmedArticle>[\s\S]*?<PMID[^>]*>(\d+)/g;
    const pmids = [...xml.matchAll(victim)].map((m) => m[1] as string);
    const broken = write(
      'broken.xml',
      xml.replace(`<PMID Version="1">${pmids[7]}</PMID>`, '<PMID Version="1">x</PMID>'),
    );
    const line = xml.slice(0, [...xml.matchAll(/<PubmedArticle>/g)][7]?.index).split('\n').length;
    const store = fresh();
    const { summary, problems } = await run(store, [broken], true, 4);
    expect(summary.records).toBe(pmids.length - 1);
    expect(problems).toEqual([
      { file: broken, index: 7, line, id: 'x', message: 'PMID is not a number: "x"' },
    ]);
    expect(store.getArticles([pmids[6] as string, pmids[8] as string])).toHaveLength(2);
  });

  it('a file that breaks off mid-record keeps what came before, consistently, and the next file still imports', async () => {
    const { file, pmids } = repeated(12);
    const xml = fs.readFileSync(file, 'utf8');
    const cut = xml.indexOf('<PubmedArticle>', Math.floor(xml.length * 0.7)) + 500;
    const truncated = write('truncated.xml', xml.slice(0, cut));
    const complete = (xml.slice(0, cut).match(/<\/PubmedArticle>/g) ?? []).length;
    const store = fresh();
    const { summary, problems } = await run(store, [truncated, METRIC], true, 100);
    expect(summary.records).toBe(complete + 1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: truncated,
      message: expect.stringMatching(/not well-formed.*unclosed/s),
    });
    expect(store.counts().articles).toBe(complete + 1);
    expect(indexed(store)).toBe(complete + 1);
    expect(store.getArticles([pmids[complete - 1] as string, pmids[complete] as string])).toHaveLength(1);
    expect(store.getArticles(['22663011'])).toHaveLength(1);
  });

  it('a file that is not what it claims is reported like any unreadable file', async () => {
    const badGzip = write('bad.xml.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const html = write('page.xml', '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n');
    const { summary, problems } = await run(fresh(), [badGzip, html, METRIC], true);
    expect(problems.map((p) => p.file)).toEqual([badGzip, html]);
    expect(problems[1]?.message).toMatch(/HTML page/);
    expect(summary.records).toBe(1);
  });

  it('passes thousands of records through its bounded window exactly once; a re-import updates them all', async () => {
    const { file, pmids } = repeated(30);
    const store = fresh();
    const first = await run(store, [file], true, 500);
    expect(first.summary).toMatchObject({
      records: pmids.length,
      inserted: pmids.length,
      updated: 0,
      problems: 0,
    });
    const second = await run(store, [file], true, 500);
    expect(second.summary).toMatchObject({ records: pmids.length, inserted: 0, updated: pmids.length });
    expect(store.counts().articles).toBe(pmids.length);
    expect(indexed(store)).toBe(pmids.length);
  });

  it('rows the worker packed while it waited read back as the ones packed in this thread', async () => {
    // Thousands of records through a window of six: the worker waits for the importer, and packs meanwhile.
    const { file, pmids } = repeated(30);
    const here = fresh();
    const there = fresh();
    await run(here, [file], false, 1000);
    // An importer slowed by its progress reports, so the worker runs out of room and waits.
    const slowly = () => {
      const until = performance.now() + 100;
      while (performance.now() < until);
    };
    await importFiles(there, [file], { parseInWorker: true, batchSize: 250, onProgress: slowly });
    const sample = pmids.filter((_, i) => i % 97 === 0);
    expect(there.getArticles(sample)).toEqual(here.getArticles(sample));
    expect(there.getArticles(sample)).toHaveLength(sample.length);
    expect(there.search({ terms: 'melanoma', limit: 20 })).toEqual(
      here.search({ terms: 'melanoma', limit: 20 }),
    );
  });

  it('applies a DeleteCitation after the records before it', async () => {
    const store = fresh();
    await run(store, [METRIC], true);
    const deletion = write(
      'update.xml',
      '<?xml version="1.0"?>\n<PubmedArticleSet>\n<DeleteCitation>\n<PMID Version="1">22663011</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n',
    );
    await run(store, [deletion], true);
    expect(store.getArticles(['22663011'])).toEqual([]);
    expect(indexed(store)).toBe(0);
  });

  it('stops, and stops the worker, when the database fails mid-file', async () => {
    const { file } = repeated(10);
    const store = fresh();
    let calls = 0;
    const failing: LibraryStore = {
      ...store,
      upsertArticleRows(rows, options) {
        calls += 1;
        if (calls === 2) throw new PaperbotError('store_failure', 'library upsert failed: disk I/O error');
        return store.upsertArticleRows(rows, options);
      },
    };
    await expect(
      importFiles(failing, [file, METRIC], { parseInWorker: true, batchSize: 100 }),
    ).rejects.toMatchObject({
      code: 'store_failure',
    });
    expect(calls).toBe(2);
    expect(store.counts().articles).toBe(100);
    expect(indexed(store)).toBe(100);
  });
});
