// The `paperbot` command end to end: real config, real library and cache on disk, real HTTP to a fake
// E-utilities server serving recorded PubMed records.

import fs from 'node:fs';
import path from 'node:path';
import type { ArticleCard, Reply } from '../../../src/core/reply';
import { startFakeEutils, type FakeEutils } from '../../peers/eutils';
import { runCli } from '../../support/cli';
import { CLOSED_URL, tempDataDir, testEnv } from '../../support/graph';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let eutils: FakeEutils;
let dataDir: string;

beforeAll(async () => {
  eutils = await startFakeEutils();
  // Real PMIDs of recorded records: a phase 3 RCT with a databank NCT id, a meta-analysis, a review.
  eutils.setSearch('immunotherapy liver metastases', ['22663011', '35830032', '35856662']);
});
afterAll(() => eutils.close());
beforeEach(() => {
  dataDir = tempDataDir();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (argv: string[], env: Record<string, string> = {}): Promise<Run> =>
  runCli(argv, { ...testEnv({ eutilsUrl: eutils.url }, dataDir), ...env }, dataDir);

async function json(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; reply: Reply }> {
  const r = await run(['--json', ...argv], env);
  return { code: r.code, reply: JSON.parse(r.stdout) as Reply };
}

const articles = (reply: Reply): ArticleCard[] =>
  reply.cards.filter((c): c is ArticleCard => c.type === 'article');

it('searches PubMed and prints the cards as JSON in PubMed order', async () => {
  const { code, reply } = await json(['immunotherapy', 'liver', 'metastases']);
  expect(code).toBe(0);
  const cards = articles(reply);
  expect(cards.slice(0, 3).map((c) => c.pmid)).toEqual(['22663011', '35830032', '35856662']);
  expect(cards.slice(0, 3).every((c) => c.source === 'pubmed' && c.detail === 'summary')).toBe(true);
  const rct = cards[0] as ArticleCard;
  // Values read from test/fixtures/ncbi/efetch_pubmed_rct_phase3_databank_22663011.xml (METRIC, NEJM 2012)
  expect(rct.title).toBe('Improved survival with MEK inhibition in BRAF-mutated melanoma.');
  expect(rct.evidence).toBe('rct');
  expect(rct.trials).toEqual(['NCT01245062']);
  expect(rct.journal).toBe('N Engl J Med');
  expect(rct.year).toBe('2012');
  expect(rct.citation).toBe('367(2):107-14');
  expect(rct.doi).toBe('10.1056/NEJMoa1203421');
  expect(rct.authors[0]).toBe('Flaherty KT');
  expect(rct.authors.at(-1)).toBe('METRIC Study Group');
  expect(rct.retracted).toBe(false);
  const sent = eutils.requests.filter((r) => r.utility === 'esearch');
  expect(sent.at(-1)?.params).toMatchObject({
    db: 'pubmed',
    sort: 'relevance',
    tool: 'paperbot-tests',
    email: 'paperbot-tests@example.org',
  });
});

it('shows several ids as full cards in the order asked and says which it cannot find', async () => {
  const { code, reply } = await json(['show', '35830032', '22663011', '99999999']);
  expect(code).toBe(0);
  expect(articles(reply).map((c) => [c.pmid, c.detail])).toEqual([
    ['35830032', 'full'],
    ['22663011', 'full'],
  ]);
  expect(articles(reply)[0]?.abstract.length).toBeGreaterThan(1);
  expect(reply.cards[2]).toEqual({ type: 'error', message: 'PubMed has no record with PMID 99999999.' });
});

it('exits 1 with a clear message on stderr when the only answer is an error', async () => {
  const r = await run(['show', '99999999']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('PubMed has no record with PMID 99999999.');
});

it('answers from the bundled library with a notice when PubMed is unreachable', async () => {
  const { code, reply } = await json(['immunotherapy', 'liver', 'metastases'], {
    NCBI_EUTILS_URL: CLOSED_URL,
  });
  expect(code).toBe(0);
  expect(reply.notice).toMatch(/^PubMed is not reachable right now\. Showing .* from the local library/);
  expect(articles(reply).length).toBeGreaterThan(0);
  expect(articles(reply).every((c) => c.source === 'library')).toBe(true);
});

it('--offline never touches the network', async () => {
  const before = eutils.requests.length;
  const { reply } = await json(['--offline', 'melanoma']);
  expect(eutils.requests.length).toBe(before);
  expect(reply.notice).toMatch(/^Offline:/);
});

it("README's offline quick start is answered well by the bundled sample", async () => {
  const { reply } = await json(['--offline', 'BRAF', 'melanoma']);
  expect(articles(reply).map((c) => c.pmid)).toEqual(['22663011']);
  expect(reply.notice).toBe(
    'Offline: 1 result from the local library only; recent papers and retraction updates may be missing.',
  );
});

it('offline, says which words the library results lack and how to build a library for the topic', async () => {
  const { reply } = await json(['--offline', 'immunotherapy', 'liver', 'metastases']);
  expect(reply.notice).toContain(
    'No library record has every word of “immunotherapy liver metastases”: each result lacks one or more of “immunotherapy”, “metastases”. ' +
      'To build a library on this topic while online: paperbot library sync "immunotherapy liver metastases" (see docs/library.md).',
  );
  const none = await json(['--offline', 'quokkaphobia']);
  expect(none.reply.notice).toMatch(
    /nothing matched.*\nTo build a library on this topic while online: paperbot library sync "quokkaphobia"/s,
  );
});

it('prints a readable terminal card with badges and the abstract for show', async () => {
  const r = await run(['--no-color', 'show', '22663011']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ 1\. /);
  expect(r.stdout).toContain('[RCT]');
  expect(r.stdout).toContain('PMID 22663011');
  expect(r.stdout).toContain('https://pubmed.ncbi.nlm.nih.gov/22663011/');
  expect(r.stdout).not.toContain('\x1b[');
});

it('cites in the asked format', async () => {
  const { reply } = await json(['cite', '22663011', 'bibtex']);
  expect(reply.cards[0]).toMatchObject({ type: 'citation', pmid: '22663011', format: 'bibtex' });
});

it('stops with one line naming a bad variable', async () => {
  const r = await run(['melanoma'], { NCBI_EMAIL: 'not-an-address' });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('paperbot: NCBI_EMAIL: must be an e-mail address\n');
});

it('imports MEDLINE and PubMed XML files into the library, then finds them offline', async () => {
  const fixtures = path.join(__dirname, '..', '..', 'fixtures');
  const r = await run([
    'import',
    path.join(fixtures, 'medline', 'medline_pubmed_result2.txt'),
    path.join(fixtures, 'ncbi', 'efetch_pubmed_multi_15records_asthma_2012.xml'),
  ]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Imported 19 records from 2 files/);
  const again = await run([
    'import',
    path.join(fixtures, 'ncbi', 'efetch_pubmed_multi_15records_asthma_2012.xml'),
  ]);
  expect(again.stdout).toContain('0 new, 15 updated');
  const { reply } = await json(['--offline', 'asthma']);
  expect(articles(reply).length).toBeGreaterThan(0);
});
