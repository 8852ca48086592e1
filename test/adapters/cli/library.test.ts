// `paperbot library sync` and `library status` end to end: real config, a library file on disk, real HTTP
// to the fake E-utilities; what a sync fetches is tested in test/library/sync-pubmed.test.ts.

import fs from 'node:fs';
import { runCli, type CliRun } from '../../support/cli';
import { startFakeCtgov, type FakeCtgov } from '../../peers/ctgov';
import { startFakeEutils, type FakeEutils } from '../../peers/eutils';
import { tempDataDir, testEnv } from '../../support/graph';

let eutils: FakeEutils;
let ctgov: FakeCtgov;
let dataDir: string;
const PMIDS = ['22663011', '35830032', '35856662'];

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
  eutils.reset();
  eutils.setDatedSearch('melanoma[mh]', PMIDS);
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (argv: string[]): Promise<CliRun> =>
  runCli(argv, testEnv({ eutilsUrl: eutils.url, ctgovUrl: ctgov.url }, dataDir), dataDir);

it('syncs a query into the library, then lists it with its count, last run and the database size', async () => {
  const sync = await run(['library', 'sync', 'melanoma[mh]', '--since', '2000-01-01']);
  expect(sync).toMatchObject({ code: 0, stderr: '' });
  expect(sync.stdout).toMatch(
    /^Synced: 3 records stored for "melanoma\[mh\]", covered up to \d{4}\/\d{2}\/\d{2}\.\n$/,
  );
  expect(eutils.requests.find((r) => r.utility === 'esearch')?.params).toMatchObject({
    mindate: '2000/01/01',
    usehistory: 'y',
  });

  const status = await run(['library', 'status']);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/\d[\d,]* articles, \d+ trials, \d+\.\d MB\./);
  expect(status.stdout).toMatch(
    /pubmed "melanoma\[mh\]": 3 records stored · last run \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(3 new or revised\)/,
  );
});

it('refuses a sync without a query or with a date it cannot read', async () => {
  expect((await run(['library', 'sync'])).code).toBe(2);
  const bad = await run(['library', 'sync', 'melanoma', '--since', '2024-02-30']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--since wants a date as YYYY-MM-DD/);
  expect(eutils.requests).toHaveLength(0);
});

it('reports a failed sync plainly and keeps what was stored for the next run', async () => {
  eutils.fail('esearch', [{ status: 400 }]);
  const r = await run(['library', 'sync', 'melanoma[mh]']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^paperbot library: esearch: HTTP 400.*run again to continue\.\n$/);
});

it('syncs ClinicalTrials.gov studies and lists both kinds of sync', async () => {
  const trials = await run(['library', 'sync-trials', 'pembrolizumab']);
  expect(trials.code).toBe(0);
  expect(trials.stdout).toMatch(/^Synced: [1-9]\d* records stored for "pembrolizumab", covered up to /);
  expect(ctgov.requests.find((r) => r.path === '/studies')?.params).toMatchObject({
    'query.term': 'pembrolizumab',
    pageSize: '1000',
  });
  await run(['library', 'sync', 'melanoma[mh]']);
  const status = await run(['library', 'status']);
  expect(status.stdout).toMatch(/clinicaltrials "pembrolizumab": [1-9]\d* records stored/);
  expect(status.stdout).toMatch(/pubmed "melanoma\[mh\]": 3 records stored/);
});
