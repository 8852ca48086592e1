// Library benchmark: builds a 100,000-record PubMed XML file from the fixture records (new PMIDs), imports it
// in a child process (records/s, peak RSS), then times ~50 realistic searches on it (p50/p99). Prints only.
//   node -r @swc-node/register bench/library.ts            (everything, ~3 minutes)
//   node -r @swc-node/register bench/library.ts --search   (searches only, on the database of a previous run)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PubTypeFilter } from '../src/pubmed/query';
import { importFiles } from '../src/library/import';
import { openLibrary, type ArticleSearch } from '../src/library/store';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(__dirname, 'out');
const XML = path.join(OUT, 'library-100k.xml');
const DB = path.join(OUT, 'library-100k.sqlite');
const RECORDS = 100_000;
const FIRST_PMID = 90_000_001;

/** Every PubmedArticle of the efetch fixtures, as text, with its PMID. */
function templates(): { xml: string; pmid: string }[] {
  const dir = path.join(ROOT, 'test', 'fixtures', 'ncbi');
  const found: { xml: string; pmid: string }[] = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('efetch_') && n.endsWith('.xml'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const match of text.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) {
      const pmid = /<PMID[^>]*>(\d+)<\/PMID>/.exec(match[0])?.[1];
      if (pmid !== undefined) found.push({ xml: match[0], pmid });
    }
  }
  return found;
}

async function generate(): Promise<{ bytes: number; templates: number }> {
  const sources = templates();
  fs.mkdirSync(OUT, { recursive: true });
  const out = fs.createWriteStream(XML);
  const write = (text: string): Promise<void> | undefined =>
    out.write(text) ? undefined : new Promise((resolve) => out.once('drain', () => resolve()));
  await write(
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n',
  );
  for (let i = 0; i < RECORDS; i += 1) {
    const source = sources[i % sources.length] as { xml: string; pmid: string };
    // The record's own PMID appears as MedlineCitation/PMID and ArticleId[pubmed]; links to others stay.
    await write(source.xml.split(`>${source.pmid}<`).join(`>${FIRST_PMID + i}<`) + '\n');
  }
  await write('</PubmedArticleSet>\n');
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { bytes: fs.statSync(XML).size, templates: sources.length };
}

/** Child mode: import, then report figures as one JSON line. */
async function child(db: string, xml: string): Promise<void> {
  // What Node, the TypeScript hook and our modules cost before the first record, to read the peak against.
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const store = openLibrary({ path: db });
  const summary = await importFiles(store, [xml]);
  store.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...summary, maxRssMb, baselineRssMb })}\n`);
}

interface ChildFigures {
  records: number;
  seconds: number;
  maxRssMb: number;
  baselineRssMb: number;
  problems: number;
}

function runChild(nodeArgs: string[] = []): Promise<ChildFigures> {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(DB + suffix, { force: true });
  return new Promise((resolve, reject) => {
    const args = [...nodeArgs, '-r', '@swc-node/register', __filename, '--import-child', DB, XML];
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`import child exited with ${code}`));
      else resolve(JSON.parse(output.trim().split('\n').pop() ?? '{}') as ChildFigures);
    });
  });
}

const q = (terms: string, extra: Partial<ArticleSearch> = {}): ArticleSearch => ({
  terms,
  limit: 10,
  ...extra,
});
const types = (...t: PubTypeFilter[]): Partial<ArticleSearch> => ({ types: t });
const QUERIES: ArticleSearch[] = [
  q('immunotherapy liver metastases'),
  q('pembrolizumab non-small cell lung cancer'),
  q('BRAF melanoma', types('rct')),
  q('trametinib'),
  q('EGFR mutation', { since: 2015 }),
  q('breast cancer[ti]'),
  q('tumor microenvironment'),
  q('checkpoint inhibitor'),
  q('"overall survival"'),
  q('hepatocellular carcinoma sorafenib'),
  q('colorectal cancer liver metastases'),
  q('KRAS'),
  q('PD-L1 expression'),
  q('chemotherapy', types('meta')),
  q('glioma radiotherapy'),
  q('Flaherty[au]'),
  q('cancer', { sort: 'date' }),
  q('cancer'),
  q('prostate cancer androgen'),
  q('ovarian cancer BRCA'),
  q('leukemia'),
  q('lymphoma rituximab'),
  q('gastric cancer', { since: 2018 }),
  q('pancreatic cancer', types('review')),
  q('adjuvant chemotherapy'),
  q('metastasis'),
  q('apoptosis', { sort: 'date' }),
  q('p53 tumor suppressor'),
  q('angiogenesis VEGF'),
  q('immun*'),
  q('review[pt] cancer'),
  q('melanoma NOT review[pt]'),
  q('(lung OR breast) AND cancer'),
  q('tumor', types('rct', 'meta', 'sr')),
  q('survival', { since: 2010, until: 2020 }),
  q('neoplasms[mh]'),
  q('carcinoma, non-small-cell lung[mh]'),
  q('N Engl J Med[ta]'),
  q('phase III randomized trial'),
  q('progression-free survival'),
  q('MEK inhibition'),
  q('asthma budesonide'),
  q('multiple sclerosis'),
  q('iron overload'),
  q('guideline', types('guideline')),
  q('case report', types('case')),
  q('genome-wide association'),
  q('cancer', { offset: 20, limit: 20 }),
  q('mortality', { sort: 'date', since: 2015 }),
  q('zzzz unknownword'),
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function searchFigures(): void {
  const store = openLibrary({ path: DB });
  const rounds = 20;
  const times: number[] = [];
  const perQuery = new Map<string, number[]>();
  for (const query of QUERIES) store.search(query); // warm the page cache
  for (let round = 0; round < rounds; round += 1) {
    for (const query of QUERIES) {
      const started = process.hrtime.bigint();
      store.search(query);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      times.push(ms);
      const key = JSON.stringify(query);
      perQuery.set(key, [...(perQuery.get(key) ?? []), ms]);
    }
  }
  times.sort((a, b) => a - b);
  console.log(
    `search: ${QUERIES.length} queries × ${rounds} rounds on ${store.counts().articles.toLocaleString('en-US')} records`,
  );
  console.log(
    `  p50 ${percentile(times, 50).toFixed(2)} ms   p90 ${percentile(times, 90).toFixed(2)} ms   p99 ${percentile(times, 99).toFixed(2)} ms   max ${(times[times.length - 1] ?? NaN).toFixed(2)} ms`,
  );
  const slowest = [...perQuery.entries()]
    .map(([key, list]) => ({
      key,
      median: percentile(
        [...list].sort((a, b) => a - b),
        50,
      ),
    }))
    .sort((a, b) => b.median - a.median)
    .slice(0, 5);
  for (const { key, median } of slowest) {
    const query = JSON.parse(key) as ArticleSearch;
    const { total } = store.search(query);
    console.log(`  slowest: ${median.toFixed(2)} ms  ${key}  (${total.toLocaleString('en-US')} hits)`);
  }
  store.close();
}

export async function main(): Promise<void> {
  const generated = await generate();
  console.log(
    `generated ${path.relative(ROOT, XML)}: ${RECORDS.toLocaleString('en-US')} records from ${generated.templates} fixture records, ${(generated.bytes / 1e6).toFixed(0)} MB (${Math.round(generated.bytes / RECORDS).toLocaleString('en-US')} bytes/record)`,
  );
  const report = (label: string, figures: ChildFigures): void => {
    const rate = Math.round(figures.records / figures.seconds).toLocaleString('en-US');
    const mbps = (generated.bytes / 1e6 / figures.seconds).toFixed(1);
    console.log(
      `import (${label}): ${figures.records.toLocaleString('en-US')} records in ${figures.seconds.toFixed(1)} s = ` +
        `${rate} records/s, ${mbps} MB/s; peak RSS ${figures.maxRssMb.toFixed(0)} MB ` +
        `(${figures.baselineRssMb.toFixed(0)} MB before the first record); ${figures.problems} problems`,
    );
  };
  // V8 lets the parser's short-lived garbage pile up in a default heap; a capped heap shows the live need.
  report('child, heap capped at 128 MB', await runChild(['--max-old-space-size=128']));
  report('child, default heap', await runChild());
  console.log(`database: ${(fs.statSync(DB).size / 1e6).toFixed(0)} MB`);
  searchFigures();
}

if (require.main === module) {
  const [flag, db, xml] = process.argv.slice(2);
  const run =
    flag === '--import-child' && db !== undefined && xml !== undefined
      ? child(db, xml)
      : flag === '--search'
        ? Promise.resolve(searchFigures())
        : main();
  run.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
