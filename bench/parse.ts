// Benchmark of the PubMed efetch XML parser: MB/s and records/s of parseArticleSet on the two large
// fixtures, next to saxes alone and Biopython's Entrez.read on the same bytes; then streaming memory.
//   node -r @swc-node/register bench/parse.ts        (prints figures; never passes or fails on time)

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { SaxesParser } from 'saxes';
import { parseArticleSet, streamArticleSet } from '../src/pubmed/xml';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'ncbi');
const FILES = ['efetch_pubmed_multi_93records_oncology_2019.xml', 'efetch_pubmed_multi_111records_2012.xml'];
const WARMUP_RUNS = 10;
const TIMED_RUNS = 15;
const PYTHON_RUNS = 8;
/** Interleaved rounds of (Biopython, paperbot); the best of each side is kept. */
const ROUNDS = 3;
/** Records streamed to watch memory: the 93-record file repeated, ~21 KB a record. */
const STREAM_RECORDS = 10_000;

interface Figure {
  seconds: number;
  records: number;
}

/** Best wall time of TIMED_RUNS runs after WARMUP_RUNS (the JIT and caches settle first). */
function best(run: () => number): Figure {
  let records = 0;
  for (let i = 0; i < WARMUP_RUNS; i++) records = run();
  let seconds = Infinity;
  for (let i = 0; i < TIMED_RUNS; i++) {
    const started = performance.now();
    records = run();
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
  }
  return { seconds, records };
}

/** saxes with no-op handlers: the floor any saxes-based mapper stands on. */
function saxesOnly(xml: string): number {
  const parser = new SaxesParser({ xmlns: false });
  let events = 0;
  parser.on('opentag', () => events++);
  parser.on('closetag', () => events++);
  parser.on('text', () => events++);
  parser.write(xml).close();
  return 0;
}

const PYTHON_SCRIPT = `
import io, json, sys, time
import Bio
from Bio import Entrez
runs = int(sys.argv[1])
out = {"version": Bio.__version__, "files": {}}
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    best = float("inf")
    records = 0
    for i in range(runs + 1):
        started = time.perf_counter()
        result = Entrez.read(io.BytesIO(data))
        elapsed = time.perf_counter() - started
        if i > 0:
            best = min(best, elapsed)
        records = len(result["PubmedArticle"]) if isinstance(result, dict) else len(result)
    out["files"][path] = {"seconds": best, "records": records}
print(json.dumps(out))
`;

interface PythonResult {
  version: string;
  files: Record<string, Figure>;
}

/** Entrez.read on the same bytes, through the first python3 that has Biopython (pyenv shims often lack it). */
function biopython(paths: string[]): PythonResult | string {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import Bio.Entrez'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) continue;
    const run = spawnSync(python, ['-c', PYTHON_SCRIPT, String(PYTHON_RUNS), ...paths], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (run.status !== 0) return `failed under ${python}: ${run.stderr.trim().split('\n').at(-1) ?? ''}`;
    return JSON.parse(run.stdout) as PythonResult;
  }
  return 'not installed (apt-get install -y python3-biopython)';
}

function megabytesPerSecond(bytes: number, figure: Figure): number {
  return bytes / 1e6 / figure.seconds;
}

function row(label: string, bytes: number, figure: Figure | undefined): string {
  if (figure === undefined) return `  ${label.padEnd(34)} —`;
  const mbs = megabytesPerSecond(bytes, figure).toFixed(1).padStart(7);
  const rps =
    figure.records === 0
      ? ''
      : `${Math.round(figure.records / figure.seconds).toLocaleString('en-US')} records/s`;
  return `  ${label.padEnd(34)} ${mbs} MB/s   ${rps}`;
}

/** A baseline-sized PubmedArticleSet: the fixture's records repeated `times`, handed out as 64 KB Buffers. */
async function* repeatedSet(fixture: Buffer, times: number): AsyncGenerator<Buffer> {
  const text = fixture.toString('utf8');
  const first = text.indexOf('<PubmedArticle>');
  const last = text.lastIndexOf('</PubmedArticle>') + '</PubmedArticle>'.length;
  const body = Buffer.from(text.slice(first, last));
  yield Buffer.from(text.slice(0, first));
  for (let round = 0; round < times; round++) {
    for (let start = 0; start < body.length; start += 65536) yield body.subarray(start, start + 65536);
  }
  yield Buffer.from('\n</PubmedArticleSet>\n');
}

/** The heap that survives a full collection: what the stream really holds on to. */
function retainedHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  return process.memoryUsage().heapUsed;
}

async function streamMemory(fixture: Buffer, recordsPerCopy: number): Promise<void> {
  const times = Math.ceil(STREAM_RECORDS / recordsPerCopy);
  const samples = [retainedHeap()];
  let articles = 0;
  const started = performance.now();
  for await (const item of streamArticleSet(repeatedSet(fixture, times))) {
    if (item.kind === 'article' && ++articles % 2500 === 0) samples.push(retainedHeap());
  }
  const seconds = (performance.now() - started) / 1000;
  const megabytes = (fixture.length * times) / 1e6;
  console.log(
    `\nstreamArticleSet, ${articles.toLocaleString('en-US')} records (${megabytes.toFixed(0)} MB) in 64 KB Buffers: ` +
      `${(megabytes / seconds).toFixed(1)} MB/s including UTF-8 decoding and ${samples.length} forced GCs`,
  );
  console.log(
    `  heap retained after GC, at start and every 2,500 records: ${samples.map((b) => (b / 1e6).toFixed(1)).join(', ')} MB`,
  );
}

interface FileFigures {
  ours: Figure;
  fromBytes: Figure;
  floor: Figure;
  theirs?: Figure;
}

function faster(a: Figure | undefined, b: Figure | undefined): Figure | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.seconds <= b.seconds ? a : b;
}

/** One round: Biopython on both files, then ours, so both sides see the same machine load. */
function measureRound(paths: string[], python: PythonResult | string | undefined): Map<string, FileFigures> {
  const theirs = python === undefined ? biopython(paths) : python;
  const figures = new Map<string, FileFigures>();
  for (const path of paths) {
    const bytes = readFileSync(path);
    const xml = bytes.toString('utf8');
    figures.set(path, {
      ours: best(() => parseArticleSet(xml).articles.length),
      // Entrez.read starts from bytes, and so does efetch: the scanner reads the UTF-8 it receives.
      fromBytes: best(() => parseArticleSet(bytes).articles.length),
      floor: best(() => saxesOnly(xml)),
      ...(typeof theirs === 'string' ? {} : { theirs: theirs.files[path] }),
    });
  }
  return figures;
}

export async function main(): Promise<void> {
  const paths = FILES.map((name) => join(FIXTURES, name));
  const python = biopython(paths);
  const version = typeof python === 'string' ? undefined : python.version;
  // The host is shared and noisy: the best of ROUNDS interleaved rounds is kept for each side.
  let figures = measureRound(paths, python);
  for (let round = 1; round < ROUNDS; round++) {
    const next = measureRound(paths, typeof python === 'string' ? python : undefined);
    figures = new Map(
      [...figures].map(([path, a]) => {
        const b = next.get(path);
        return [
          path,
          {
            ours: faster(a.ours, b?.ours) ?? a.ours,
            fromBytes: faster(a.fromBytes, b?.fromBytes) ?? a.fromBytes,
            floor: faster(a.floor, b?.floor) ?? a.floor,
            theirs: faster(a.theirs, b?.theirs),
          },
        ];
      }),
    );
  }
  console.log(
    `PubMed efetch XML parsing: best of ${ROUNDS} interleaved rounds, each the best of ${TIMED_RUNS} runs ` +
      `after ${WARMUP_RUNS} warm-up runs (Biopython: ${PYTHON_RUNS}); Node ${process.version}`,
  );
  if (typeof python === 'string') console.log(`Biopython: ${python}`);
  for (const [index, name] of FILES.entries()) {
    const path = paths[index] ?? '';
    const size = readFileSync(path).length;
    const figure = figures.get(path);
    if (figure === undefined) continue;
    console.log(`\n${name} (${(size / 1e6).toFixed(2)} MB, ${figure.ours.records} records)`);
    console.log(row('paperbot parseArticleSet(bytes)', size, figure.fromBytes));
    console.log(row('  same, from a decoded string', size, figure.ours));
    console.log(row('saxes alone, no-op handlers', size, figure.floor));
    console.log(row(`Biopython ${version ?? ''} Entrez.read`.replace('  ', ' '), size, figure.theirs));
    const theirs = figure.theirs;
    if (theirs !== undefined) {
      const ratio = (ours: Figure): string => (theirs.seconds / ours.seconds).toFixed(1);
      console.log(
        `  ratio to Biopython: ${ratio(figure.fromBytes)}× from bytes, as efetch answers arrive (target ≥ 3×)`,
      );
    }
  }
  const oncology = readFileSync(paths[0] ?? '');
  await streamMemory(oncology, parseArticleSet(oncology.toString('utf8')).articles.length);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
