// importFiles end to end on real files: recorded efetch XML (plain and gzipped), MEDLINE exports and
// ClinicalTrials.gov JSON, plus the broken, truncated and foreign files an import must survive.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { importFiles, type ImportProblem, type ImportProgress } from '../../../src/library/import';
import { openLibrary, type LibraryStore } from '../../../src/library/store';
import { useTempLibraries } from '../../support/libraries';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const ncbi = (name: string): string => path.join(FIXTURES, 'ncbi', name);
const ASTHMA = ncbi('efetch_pubmed_multi_15records_asthma_2012.xml');
const METRIC = ncbi('efetch_pubmed_rct_phase3_databank_22663011.xml');

const { dir, fresh, write } = useTempLibraries('import');

async function run(store: LibraryStore, files: string[], batchSize?: number) {
  const problems: ImportProblem[] = [];
  const progress: ImportProgress[] = [];
  const summary = await importFiles(store, files, {
    onProblem: (p) => problems.push(p),
    onProgress: (p) => progress.push(p),
    ...(batchSize ? { batchSize } : {}),
  });
  return { summary, problems, progress };
}

/** PMIDs of the PubmedArticle records of a file, in order, read with a plain regex. */
function pmidsIn(file: string): string[] {
  const xml = fs.readFileSync(file, 'utf8');
  return [...xml.matchAll(/<PubmedArticle>[\s\S]*?<PMID[^>]*>(\d+)<\/PMID>/g)].map((m) => m[1] as string);
}

describe('PubMed XML', () => {
  it('imports an efetch set, and a re-import updates every record without adding any', async () => {
    const store = fresh();
    const pmids = pmidsIn(ASTHMA);
    const unique = new Set(pmids).size;
    const first = await run(store, [ASTHMA]);
    expect(first.summary).toMatchObject({ files: 1, records: pmids.length, inserted: unique, problems: 0 });
    expect(first.summary.updated).toBe(pmids.length - unique);
    expect(store.getArticles(pmids).map((a) => a.pmid)).toEqual(pmids);
    const second = await run(store, [ASTHMA]);
    expect(second.summary).toMatchObject({ records: pmids.length, inserted: 0, updated: pmids.length });
    expect(store.counts().articles).toBe(unique);
  });

  it('reads a .xml.gz the same as the plain file, reporting compressed bytes', async () => {
    const gz = write('asthma.xml.gz', zlib.gzipSync(fs.readFileSync(ASTHMA)));
    const store = fresh();
    const { summary, progress } = await run(store, [gz]);
    expect(summary.records).toBe(pmidsIn(ASTHMA).length);
    expect(store.search({ terms: 'asthma', limit: 1 }).total).toBeGreaterThan(0);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ file: gz, records: summary.records, totalBytes: fs.statSync(gz).size });
    expect(last?.bytes).toBe(last?.totalBytes);
  });

  it('reports a broken record in the middle of a file with its position and imports the rest', async () => {
    const xml = fs.readFileSync(ASTHMA, 'utf8');
    const pmids = pmidsIn(ASTHMA);
    const victim = pmids[7] as string;
    const broken = write(
      'broken.xml',
      xml.replace(`<PMID Version="1">${victim}</PMID>`, '<PMID Version="1">not-a-pmid</PMID>'),
    );
    const store = fresh();
    const { summary, problems } = await run(store, [broken], 4);
    expect(summary.records).toBe(pmids.length - 1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: broken, index: 7 });
    expect(problems[0]?.line).toBeGreaterThan(1);
    expect(store.getArticles([pmids[6] as string, pmids[8] as string])).toHaveLength(2);
  });

  it('keeps the records before a truncation and reports the file', async () => {
    const xml = fs.readFileSync(ASTHMA, 'utf8');
    const cut = xml.indexOf('</PubmedArticle>', xml.length / 2) + '</PubmedArticle>'.length + 40;
    const truncated = write('truncated.xml', xml.slice(0, cut));
    const complete = (xml.slice(0, cut).match(/<\/PubmedArticle>/g) ?? []).length;
    const store = fresh();
    const { summary, problems } = await run(store, [truncated, METRIC]);
    expect(summary.records).toBe(complete + 1);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe(truncated);
    expect(store.getArticles(['22663011'])).toHaveLength(1);
  });

  it('applies DeleteCitation to records imported before', async () => {
    const store = fresh();
    await run(store, [METRIC]);
    const deletion = write(
      'update.xml',
      '<?xml version="1.0"?>\n<PubmedArticleSet>\n<DeleteCitation>\n<PMID Version="1">22663011</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n',
    );
    await run(store, [deletion]);
    expect(store.getArticles(['22663011'])).toEqual([]);
  });

  it('imports every efetch fixture and reports the E-utilities answers that are not article sets', async () => {
    const names = fs.readdirSync(path.join(FIXTURES, 'ncbi')).filter((n) => n.endsWith('.xml'));
    const store = fresh();
    const { summary, problems } = await run(store, names.map(ncbi));
    const efetch = names.filter((n) => n.startsWith('efetch_'));
    const expected = efetch.flatMap((n) => {
      const xml = fs.readFileSync(ncbi(n), 'utf8');
      return [...xml.matchAll(/<Pubmed(?:Book)?Article>[\s\S]*?<PMID[^>]*>(\d+)<\/PMID>/g)].map((m) => m[1]);
    });
    expect(summary.records).toBe(expected.length);
    expect(store.counts().articles).toBe(new Set(expected).size);
    expect(problems.map((p) => path.basename(p.file)).sort()).toEqual(
      names.filter((n) => !n.startsWith('efetch_')).sort(),
    );
    expect(problems.every((p) => /PubmedArticleSet/.test(p.message))).toBe(true);
  });
});

describe('MEDLINE text', () => {
  it('imports .txt and .nbib exports', async () => {
    const nbib = write(
      'export.nbib',
      fs.readFileSync(path.join(FIXTURES, 'medline', 'medline_pubmed_result3.txt')),
    );
    const store = fresh();
    const { summary } = await run(store, [
      path.join(FIXTURES, 'medline', 'medline_pubmed_result2.txt'),
      nbib,
    ]);
    expect(summary).toMatchObject({ files: 2, records: 5, inserted: 5, updated: 0, problems: 0 });
    expect(store.findByDoi('10.1118/1.4748329')?.pmid).toBe('23039619');
    expect(store.search({ terms: 'de Hoon[au]', limit: 5 }).articles.map((a) => a.pmid)).toEqual([
      '14871861',
    ]);
  });
});

describe('ClinicalTrials.gov JSON', () => {
  const ct = (name: string): string => path.join(FIXTURES, 'clinicaltrials', name);

  it('imports single studies and /studies pages', async () => {
    const store = fresh();
    const { summary } = await run(store, [
      ct('v2_study_NCT02576665_fields.json'),
      ct('v2_search_phelan_page1.json'),
      ct('v2_search_phelan_terminal.json'),
    ]);
    // The terminal page repeats three studies of page 1: updated, not duplicated.
    expect(summary).toMatchObject({ records: 9, inserted: 6, updated: 3, problems: 0 });
    expect(store.getTrial('NCT02576665')?.status).toBe('TERMINATED');
    expect(store.searchTrials({ terms: 'Phelan-McDermid', limit: 10 }).total).toBe(5);
  });

  it('reads JSON Lines and reports a broken line by number', async () => {
    const page = JSON.parse(fs.readFileSync(ct('v2_search_keytruda_page1.json'), 'utf8')) as {
      studies: unknown[];
    };
    const lines = page.studies.map((s) => JSON.stringify(s));
    lines.splice(1, 0, '{"protocolSection": {"identificationModule": {"nctId": "NCT0"}}}', '{not json');
    const file = write('studies.jsonl', lines.join('\n') + '\n');
    const store = fresh();
    const { summary, problems } = await run(store, [file]);
    expect(summary.records).toBe(3);
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
    expect(problems[1]?.message).toMatch(/^not JSON/);
    expect(store.getTrial('NCT04795661')?.phases).toEqual(['PHASE2']);
  });
});

describe('files that are not records', () => {
  it('reports and skips them, never crashing', async () => {
    const empty = write('empty.txt', '');
    const binary = write(
      'random.bin',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)),
    );
    const badGzip = write('bad.xml.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const notes = write('notes.txt', 'Shopping list\n- milk\n');
    const slack = path.join(FIXTURES, 'slack', 'slash_command_body.txt');
    const esearch = ncbi('esearch_pubmed_json_three_hits.json');
    const store = fresh();
    const files = [
      empty,
      binary,
      badGzip,
      notes,
      slack,
      esearch,
      dir(),
      path.join(dir(), 'missing.xml'),
      METRIC,
    ];
    const { summary, problems } = await run(store, files);
    expect(problems.map((p) => p.file)).toEqual(files.slice(0, -1));
    expect(problems[0]?.message).toBe('the file is empty');
    expect(problems[3]?.message).toMatch(
      /^not PubMed XML, MEDLINE text or ClinicalTrials.gov JSON \(\.txt\)/,
    );
    expect(summary).toMatchObject({ records: 1, inserted: 1, problems: files.length - 1 });
  });

  it('stops when the database itself fails', async () => {
    const store = openLibrary({ path: path.join(dir(), 'closed.sqlite') });
    store.close();
    await expect(importFiles(store, [METRIC])).rejects.toMatchObject({ code: 'store_failure' });
  });
});
