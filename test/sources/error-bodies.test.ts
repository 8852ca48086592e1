// Issue 15 (8): what an outside service writes in an error body never reaches a person. Users read a stable
// sentence with the error code; the status and an excerpt of the body go to the log, e-mail and key masked.
// Through the real graph: fake E-utilities and fake ClinicalTrials.gov on 127.0.0.1.

import type { Reply } from '../../src/core/reply';
import { recordingLogger } from '../cache/helpers';
import { startFakeCtgov, type FakeCtgov } from '../peers/ctgov';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startTestGraph, type TestGraph } from '../support/graph';

const EMAIL = 'paperbot-tests@example.org';
/** What NCBI's HTML error pages do: echo the request, e-mail included. */
const ECHOING_PAGE = `<html><body><h1>Bad Request</h1><p>Request: /entrez/eutils/esearch.fcgi?db=pubmed&term=x&tool=paperbot-tests&email=${encodeURIComponent(EMAIL)} was refused by the server for reasons written out at length here.</p></body></html>`;

let eutils: FakeEutils;
let ctgov: FakeCtgov;
let graph: TestGraph;
const logger = recordingLogger();

const ask = (text: string): Promise<Reply> =>
  graph.assistant.handle({
    text,
    user: { id: 'U1' },
    place: { platform: 'slack', team: 'T1', channel: 'C1' },
  });
const shown = (reply: Reply): string => JSON.stringify(reply);

beforeAll(async () => {
  eutils = await startFakeEutils();
  ctgov = await startFakeCtgov();
  graph = await startTestGraph({ eutilsUrl: eutils.url, ctgovUrl: ctgov.url, logger });
});
afterAll(async () => {
  await graph.close();
  await ctgov.close();
  await eutils.close();
});
beforeEach(() => {
  eutils.reset();
  logger.records.length = 0;
});

it('an NCBI 400 page that echoes the request URL: a stable message with the code, the details in the log', async () => {
  eutils.fail('esearch', [{ status: 400, body: ECHOING_PAGE }]);
  const reply = await ask('echo probe melanoma');
  expect(reply.notice).toBe('PubMed could not run this request (error upstream_error).');
  expect(shown(reply)).not.toMatch(/email|example\.org|Bad Request|refused by the server/);

  const logged = logger.records.find((r) => r.level === 'warn' && /pubmed: esearch failed/.test(r.msg ?? ''));
  expect(logged?.obj).toMatchObject({ code: 'upstream_error', detail: expect.stringContaining('HTTP 400') });
  const detail = JSON.stringify(logged?.obj);
  expect(detail).toContain('refused by the server');
  expect(detail).not.toContain(EMAIL);
  expect(detail).not.toContain(encodeURIComponent(EMAIL));
});

it('an NCBI 5xx body is not shown either', async () => {
  eutils.fail(
    'esearch',
    Array.from({ length: 5 }, () => ({ status: 502, body: ECHOING_PAGE })),
  );
  const reply = await ask('echo probe asthma');
  expect(shown(reply)).toContain('PubMed is not reachable right now.');
  expect(shown(reply)).not.toMatch(/email|example\.org|refused by the server/);
});

it('PubMed’s own words on a refused query are still quoted to its author', async () => {
  eutils.setSearchExtras('bad ((( syntax', { error: 'Unbalanced parentheses' });
  const reply = await ask('bad ((( syntax');
  expect(reply.notice).toBe('PubMed could not run this request: Unbalanced parentheses');
});

it('a ClinicalTrials.gov 400 text is logged, not shown', async () => {
  ctgov.fail({ kind: 'bad_request', text: `Unknown field in ?query.term=x&contact=${EMAIL}` });
  const reply = await ask('trial echoprobe rarecondition');
  expect(shown(reply)).toContain('ClinicalTrials.gov could not run this request (error upstream_error).');
  expect(shown(reply)).not.toMatch(/Unknown field|example\.org/);
  const logged = logger.records.find(
    (r) => r.level === 'warn' && /clinicaltrials: searchStudies failed/.test(r.msg ?? ''),
  );
  expect(JSON.stringify(logged?.obj)).toContain('Unknown field');
});
