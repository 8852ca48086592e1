// The built `paperbot` command as a Unix tool: flags, exit codes and which stream says what, from a real
// process (bin/paperbot.js runs dist/, so `npm run build` first). PubMed is a fake peer on 127.0.0.1.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startFakeCtgov, type FakeCtgov } from '../../peers/ctgov';
import { startFakeEutils, type FakeEutils } from '../../peers/eutils';
import { tempDataDir, testEnv } from '../../support/graph';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'paperbot.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const ONE_RECORD = path.join(FIXTURES, 'medline', 'medline_pubmed_result1.txt');
const FOUR_RECORDS = path.join(FIXTURES, 'medline', 'medline_pubmed_result2.txt');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let eutils: FakeEutils;
let ctgov: FakeCtgov;
let dataDir: string;

beforeAll(async () => {
  eutils = await startFakeEutils();
  ctgov = await startFakeCtgov();
});
afterAll(async () => {
  await eutils.close();
  await ctgov.close();
});
beforeEach(() => {
  dataDir = tempDataDir();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Asynchronous on purpose: the fake PubMed answers from this process's event loop. */
function paperbot(argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      {
        cwd: dataDir,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          ...testEnv({ eutilsUrl: eutils.url, ctgovUrl: ctgov.url }, dataDir),
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

it('--version prints the package version and exits 0', async () => {
  const r = await paperbot(['--version']);
  expect(r).toEqual({ code: 0, stdout: `paperbot ${version}\n`, stderr: '' });
});

it('--help prints the usage on stdout and exits 0', async () => {
  const r = await paperbot(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage: paperbot /);
  expect(r.stdout).toContain('--version');
  expect(r.stderr).toBe('');
});

it('an unknown option is a usage error on stderr, exit 2, and never a search', async () => {
  const before = eutils.requests.length;
  const r = await paperbot(['--bogus', 'melanoma']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^paperbot: unknown option --bogus /);
  expect(r.stderr).toContain('Usage: paperbot ');
  expect(eutils.requests.length).toBe(before);
});

it('digest run keeps its own options', async () => {
  const r = await paperbot(['digest', 'run', '--bogus']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/unknown option --bogus/);
});

it('counts one imported record in the singular', async () => {
  const r = await paperbot(['import', ONE_RECORD]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Imported 1 record from 1 file in /);
  expect(r.stdout).toContain('1 new, 0 updated.');
});

it('a missing file is named plainly, exits 2, and imports nothing', async () => {
  const r = await paperbot(['import', ONE_RECORD, 'nope.nbib']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('paperbot import: no such file: nope.nbib\n');
  expect(fs.existsSync(path.join(dataDir, 'library.sqlite'))).toBe(false);
});

it('an import that skipped a file exits 1 and says how many problems it had', async () => {
  fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'not a PubMed export\n');
  const r = await paperbot(['import', FOUR_RECORDS, 'notes.txt']);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/^Imported 4 records from 1 file in /);
  expect(r.stderr).toMatch(/^notes\.txt: /m);
  expect(r.stderr).toMatch(
    /paperbot import: 1 problem \(listed above\); those records or files were not imported\.\n$/,
  );
});

it('a citation goes to stdout alone; the PMID it cannot find goes to stderr, exit 1', async () => {
  const r = await paperbot(['--no-color', 'cite', '22663011', 'ris']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^TY {2}- JOUR\n/);
  expect(r.stderr).toBe('');
  const missing = await paperbot(['--no-color', 'show', '99999999']);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toBe('');
  expect(missing.stderr).toContain('PubMed has no record with PMID 99999999.');
});

/** Enough failures to outlast every retry the clients make. */
const OUTAGE = 12;

it('trial and article lookups fail alike when their source is down: exit 3, stdout empty, one shape', async () => {
  eutils.fail(
    'any',
    Array.from({ length: OUTAGE }, () => ({ status: 503 })),
  );
  ctgov.fail(Array.from({ length: OUTAGE }, () => ({ kind: 'server_error' as const, status: 503 })));
  // Neither is in the bundled library, so nothing can be answered.
  const article = await paperbot(['--no-color', 'show', '99999999']);
  const trial = await paperbot(['--no-color', 'trial', 'NCT02578680']);
  eutils.reset();
  for (const [r, source] of [
    [article, 'PubMed'],
    [trial, 'ClinicalTrials.gov'],
  ] as const) {
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^${source.replace('.', '\\.')} (is not reachable right now|could not be reached just now)\\. `,
      ),
    );
  }
});

it('offline, an unknown trial is "nothing found" (exit 1) and never says to try again', async () => {
  const r = await paperbot(['--offline', '--no-color', 'trial', 'NCT02578680']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('ClinicalTrials.gov is not used while paperbot runs offline.');
  expect(r.stderr).not.toMatch(/try again/);
});
