// Library benchmark: builds 100,000-record (or --records 1000000) PubMed XML files from the fixture records
// (new PMIDs) in two mixes, imports each in a child process (records/s, peak RSS), times ~50 searches on it
// (p50/p99, RSS), and prints how each figure grew from the previous level measured.
//   node -r @swc-node/register bench/library.ts                      (both mixes, ~6 minutes)
//   node -r @swc-node/register bench/library.ts --mix baseline       (one mix: fixture | baseline)
//   node -r @swc-node/register bench/library.ts --records 1000000 --mix baseline   (the 1M level: one import
//        variant, ~7.5 GB of XML written then deleted, ~2.5 GB of database; ~10 minutes)
//   node -r @swc-node/register bench/library.ts --search [--mix …]   (searches only, on a previous run's database)
//   node -r @swc-node/register bench/library.ts --cli [--mix …]      (also `node bin/paperbot.js import`, after npm run build)
// Prints, and keeps each level's figures in bench/out/ to compare levels.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PubTypeFilter } from '../src/core/query';
import { importFiles } from '../src/library/import';
import type { LibrarySearch } from '../src/core/sources';
import { openLibrary } from '../src/library/store';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(__dirname, 'out');
const LEVELS = [100_000, 1_000_000] as const;
/** PMIDs from here on are free: PubMed's own are below 42 M, and 1 M copies fit under 10 digits. */
const FIRST_PMID = 90_000_001;

/**
 * Two mixes of the same 249 fixture records. "fixture" takes each in turn: 15.1 KB a record (median 10.6 KB),
 * because the fixtures lean to recent, reference-heavy records (one holds 149 references, 188 KB): that is
 * what the newest baseline files look like (pubmed22n1090–1113: 60–73 MB gzip per 30,000 records ≈ 17–21 KB
 * a record at the 8.6× gzip ratio of the 2019 fixture). The whole baseline averages about 7.5 KB a record:
 * the 2020 baseline was ~28 GB gzip for ~30 M records (≈ 0.93 KB, ×7.1–8.6), a 2016 file held 30,000
 * records in 233 MB, and ~200 GB held the ~28 M records of 2018. "baseline" weights the same templates to
 * that mean with the smallest change to the fixture mix (an exponential tilt by size).
 */
const MIXES = { fixture: undefined, baseline: 7_500 } as const;
type Mix = keyof typeof MIXES;

/** One size of the benchmark and one mix: its files are named for both. */
interface Run {
  mix: Mix;
  records: number;
}
const label = (records: number): string => (records >= 1e6 ? `${records / 1e6}m` : `${records / 1e3}k`);
const xmlOf = (run: Run): string => path.join(OUT, `library-${label(run.records)}-${run.mix}.xml`);
const dbOf = (run: Run): string => path.join(OUT, `library-${label(run.records)}-${run.mix}.sqlite`);
const figuresOf = (run: Run): string => path.join(OUT, `library-${label(run.records)}-${run.mix}.json`);

/** Every PubmedArticle of the efetch fixtures, as text, with its PMID. */
function templates(): { xml: string; pmid: string; bytes: number }[] {
  const dir = path.join(ROOT, 'test', 'fixtures', 'ncbi');
  const found: { xml: string; pmid: string; bytes: number }[] = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('efetch_') && n.endsWith('.xml'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const match of text.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) {
      const pmid = /<PMID[^>]*>(\d+)<\/PMID>/.exec(match[0])?.[1];
      if (pmid !== undefined) found.push({ xml: match[0], pmid, bytes: Buffer.byteLength(match[0]) });
    }
  }
  return found;
}

/** Template weights ∝ exp(−λ·bytes), λ bisected so the weighted mean is `mean` bytes. */
function tilt(sizes: number[], mean: number): number[] {
  const weights = (lambda: number): number[] => sizes.map((size) => Math.exp(-lambda * size));
  const meanOf = (w: number[]): number =>
    w.reduce((sum, x, i) => sum + x * (sizes[i] as number), 0) / w.reduce((sum, x) => sum + x, 0);
  let [low, high] = [0, 1e-3];
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (meanOf(weights(mid)) > mean) low = mid;
    else high = mid;
  }
  return weights((low + high) / 2);
}

/** Which template record i copies: in turn, or drawn by weight with a low-discrepancy sequence (repeatable). */
function picker(count: number, weights: number[] | undefined): (i: number) => number {
  if (weights === undefined) return (i) => i % count;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const w of weights) cumulative.push((running += w / total));
  return (i) => {
    const u = ((i + 0.5) * 0.6180339887498949) % 1;
    const at = cumulative.findIndex((c) => u < c);
    return at === -1 ? count - 1 : at;
  };
}

async function generate(run: Run): Promise<{ bytes: number; templates: number; median: number }> {
  const { mix, records } = run;
  const sources = templates();
  const target = MIXES[mix];
  const pick = picker(
    sources.length,
    target === undefined
      ? undefined
      : tilt(
          sources.map((t) => t.bytes),
          target,
        ),
  );
  fs.mkdirSync(OUT, { recursive: true });
  const out = fs.createWriteStream(xmlOf(run));
  const write = (text: string): Promise<void> | undefined =>
    out.write(text) ? undefined : new Promise((resolve) => out.once('drain', () => resolve()));
  await write(
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n',
  );
  const sizes: number[] = [];
  for (let i = 0; i < records; i += 1) {
    const source = sources[pick(i)] as { xml: string; pmid: string; bytes: number };
    sizes.push(source.bytes);
    // The record's own PMID appears as MedlineCitation/PMID and ArticleId[pubmed]; links to others stay.
    await write(source.xml.split(`>${source.pmid}<`).join(`>${FIRST_PMID + i}<`) + '\n');
  }
  await write('</PubmedArticleSet>\n');
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  sizes.sort((a, b) => a - b);
  return {
    bytes: fs.statSync(xmlOf(run)).size,
    templates: sources.length,
    median: sizes[Math.floor(records / 2)] ?? 0,
  };
}

/** Child mode: import, then report figures as one JSON line. */
async function child(db: string, xml: string, worker: boolean): Promise<void> {
  // What Node, the TypeScript hook and our modules cost before the first record, to read the peak against.
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const store = openLibrary({ path: db });
  const summary = await importFiles(store, [xml], { parseInWorker: worker });
  store.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(`${JSON.stringify({ ...summary, maxRssMb, baselineRssMb, cpuSeconds })}\n`);
}

interface ChildFigures {
  records: number;
  seconds: number;
  maxRssMb: number;
  baselineRssMb: number;
  /** Every thread's CPU time (the parse worker's included). */
  cpuSeconds: number;
  problems: number;
}

function clean(db: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
}

function runChild(run: Run, worker: boolean, nodeArgs: string[] = []): Promise<ChildFigures> {
  clean(dbOf(run));
  return new Promise((resolve, reject) => {
    const args = [...nodeArgs, '-r', '@swc-node/register', __filename, '--import-child'];
    const proc = spawn(process.execPath, [...args, dbOf(run), xmlOf(run), String(worker)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`import child exited with ${code}`));
      else resolve(JSON.parse(output.trim().split('\n').pop() ?? '{}') as ChildFigures);
    });
  });
}

/** The shipped command on the same file: compiled JavaScript, no TypeScript hook in either thread. */
function runCli(run: Run): { seconds: number; maxRssMb: number; output: string } | string {
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) return `npm run build failed: ${built.stderr || built.stdout}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-cli-'));
  // bin/paperbot.js reads process.argv; the wrapper only adds the peak RSS on the way out.
  const wrapper =
    "process.on('exit', () => process.stderr.write('maxRSS ' + process.resourceUsage().maxRSS + '\\n'));" +
    `process.argv = [process.argv[0], 'paperbot', ...process.argv.slice(1)]; require(${JSON.stringify(path.join(ROOT, 'bin', 'paperbot.js'))});`;
  const started = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, ['-e', wrapper, 'import', xmlOf(run)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PAPERBOT_DATA_DIR: dataDir },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(dataDir, { recursive: true, force: true });
  const rss = /maxRSS (\d+)/.exec(cli.stderr)?.[1];
  if (cli.status !== 0 || rss === undefined) return `paperbot import failed: ${cli.stderr}`;
  return { seconds, maxRssMb: Number(rss) / 1024, output: cli.stdout.trim() };
}

const q = (terms: string, extra: Partial<LibrarySearch> = {}): LibrarySearch => ({
  terms,
  limit: 10,
  ...extra,
});
const types = (...t: PubTypeFilter[]): Partial<LibrarySearch> => ({ types: t });
const QUERIES: LibrarySearch[] = [
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

interface SearchFigures {
  p50: number;
  p99: number;
  /** Resident set size of this process after the searches: the page cache and statements live. */
  rssMb: number;
}

function searchFigures(run: Run): SearchFigures {
  const store = openLibrary({ path: dbOf(run) });
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
    `  search: ${QUERIES.length} queries × ${rounds} rounds on ${store.counts().articles.toLocaleString('en-US')} records`,
  );
  console.log(
    `    p50 ${percentile(times, 50).toFixed(2)} ms   p90 ${percentile(times, 90).toFixed(2)} ms   p99 ${percentile(times, 99).toFixed(2)} ms   max ${(times[times.length - 1] ?? NaN).toFixed(2)} ms`,
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
    .slice(0, 3);
  for (const { key, median } of slowest) {
    const query = JSON.parse(key) as LibrarySearch;
    const { total } = store.search(query);
    console.log(`    slowest: ${median.toFixed(2)} ms  ${key}  (${total.toLocaleString('en-US')} hits)`);
  }
  store.close();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  console.log(`    RSS while searching: ${rssMb.toFixed(0)} MB`);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rssMb };
}

/** What one level measured, kept to compare with the next. */
interface LevelFigures {
  records: number;
  importRate: number;
  importRssMb: number;
  bytesPerRecord: number;
  search: SearchFigures;
}

const TARGETS = 'targets: import ≥ 10,000 records/s, p50 ≤ 5 ms, p99 ≤ 50 ms, ≤ 4 KB a record, RSS ≤ 300 MB';

function compareLevels(run: Run, now: LevelFigures): void {
  for (const records of LEVELS) {
    if (records === run.records || !fs.existsSync(figuresOf({ ...run, records }))) continue;
    const then = JSON.parse(fs.readFileSync(figuresOf({ ...run, records }), 'utf8')) as LevelFigures;
    const [small, big] = then.records < now.records ? [then, now] : [now, then];
    const grew = (a: number, b: number): string =>
      `${a.toFixed(a < 10 ? 2 : 0)} → ${b.toFixed(b < 10 ? 2 : 0)} (×${(b / a).toFixed(2)})`;
    console.log(`  from ${label(small.records)} to ${label(big.records)} records (${TARGETS}):`);
    console.log(`    import records/s   ${grew(small.importRate, big.importRate)}`);
    console.log(`    import peak RSS MB ${grew(small.importRssMb, big.importRssMb)}`);
    console.log(`    bytes a record     ${grew(small.bytesPerRecord, big.bytesPerRecord)}`);
    console.log(`    search p50 ms      ${grew(small.search.p50, big.search.p50)}`);
    console.log(`    search p99 ms      ${grew(small.search.p99, big.search.p99)}`);
    console.log(`    search RSS MB      ${grew(small.search.rssMb, big.search.rssMb)}`);
  }
}

async function benchMix(run: Run, cli: boolean): Promise<void> {
  const generated = await generate(run);
  const mb = generated.bytes / 1e6;
  console.log(
    `mix "${run.mix}": ${path.relative(ROOT, xmlOf(run))}, ${run.records.toLocaleString('en-US')} records from ${generated.templates} fixture records, ` +
      `${mb.toFixed(0)} MB (${Math.round(generated.bytes / run.records).toLocaleString('en-US')} bytes/record, median ${generated.median.toLocaleString('en-US')})`,
  );
  const report = (label: string, figures: ChildFigures): void => {
    const rate = Math.round(figures.records / figures.seconds).toLocaleString('en-US');
    const mbps = (mb / figures.seconds).toFixed(1);
    console.log(
      `  import (${label}): ${figures.records.toLocaleString('en-US')} records in ${figures.seconds.toFixed(1)} s = ` +
        `${rate} records/s, ${mbps} MB/s; peak RSS ${figures.maxRssMb.toFixed(0)} MB ` +
        `(${figures.baselineRssMb.toFixed(0)} MB before the first record); CPU ${figures.cpuSeconds.toFixed(1)} s; ${figures.problems} problems`,
    );
  };
  // Past the first level only the shipped default runs: each variant costs the machine minutes.
  const small = run.records <= (LEVELS[0] as number);
  const variants: [string, boolean, string[]][] = small
    ? [
        ['one thread', false, []],
        // A capped heap shows the live need, apart from garbage V8 lets pile up when it has room.
        ['parse worker, heap capped at 128 MB', true, ['--max-old-space-size=128']],
      ]
    : [];
  for (const [name, worker, nodeArgs] of variants) report(name, await runChild(run, worker, nodeArgs));
  // The default last, so its database is the one searched.
  const imported = await runChild(run, true);
  report('parse worker, the default', imported);
  if (cli) {
    const figures = runCli(run);
    if (typeof figures === 'string') console.log(`  paperbot import: ${figures}`);
    else
      console.log(
        `  paperbot import (compiled, as shipped): ${figures.seconds.toFixed(1)} s wall, peak RSS ${figures.maxRssMb.toFixed(0)} MB: ${figures.output}`,
      );
  }
  if (!small) fs.rmSync(xmlOf(run), { force: true });
  const dbBytes = fs.statSync(dbOf(run)).size;
  const bytesPerRecord = dbBytes / imported.records;
  console.log(
    `  database: ${(dbBytes / 1e6).toFixed(0)} MB, ${Math.round(bytesPerRecord).toLocaleString('en-US')} bytes a record`,
  );
  const figures: LevelFigures = {
    records: run.records,
    importRate: imported.records / imported.seconds,
    importRssMb: imported.maxRssMb,
    bytesPerRecord,
    search: searchFigures(run),
  };
  fs.writeFileSync(figuresOf(run), JSON.stringify(figures));
  compareLevels(run, figures);
}

function mixesAsked(argv: string[]): Mix[] {
  const at = argv.indexOf('--mix');
  const asked = at === -1 ? undefined : argv[at + 1];
  if (asked === undefined) return ['fixture', 'baseline'];
  if (asked !== 'fixture' && asked !== 'baseline') throw new Error(`--mix fixture | baseline, not ${asked}`);
  return [asked];
}

function recordsAsked(argv: string[]): number {
  const at = argv.indexOf('--records');
  const asked = at === -1 ? LEVELS[0] : Number(argv[at + 1]);
  if (!LEVELS.some((level) => level === asked)) throw new Error(`--records ${LEVELS.join(' | ')}`);
  return asked;
}

export async function main(argv: string[] = []): Promise<void> {
  console.log(`${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)} at the start`);
  const records = recordsAsked(argv);
  for (const mix of mixesAsked(argv)) await benchMix({ mix, records }, argv.includes('--cli'));
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const [flag, db, xml, worker] = argv;
  const run =
    flag === '--import-child' && db !== undefined && xml !== undefined
      ? child(db, xml, worker === 'true')
      : argv.includes('--search')
        ? Promise.resolve(
            mixesAsked(argv).forEach((mix) => searchFigures({ mix, records: recordsAsked(argv) })),
          )
        : main(argv);
  run.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
