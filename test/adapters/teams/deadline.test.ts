// A Teams message's lookup runs under the adapter contract's reply deadline (adapters/platform.ts): when
// PubMed is slower than the deadline, the lookup is aborted and the answer still goes out inside the turn.

import { fixture, startHarness, type Harness } from './harness';

const DEADLINE_MS = 300;
/** Slower than the deadline; the answer must come well before the core's own 2.5 s PubMed deadline. */
const PUBMED_DELAY_MS = 2000;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ mount: 'direct', messageDeadlineMs: DEADLINE_MS });
});

afterAll(async () => {
  await h.close();
});

it('aborts the lookup at the message deadline and answers from what the core has', async () => {
  h.eutils.setSearch('Hey', ['23657305']);
  h.eutils.delayMs = PUBMED_DELAY_MS;
  const started = Date.now();
  const r = await h.post(fixture('vercel_teams_dm.json', 'dmMessage'));
  const took = Date.now() - started;
  expect(r.status).toBe(200);
  const sent = h.connector.sent('message');
  expect(sent).toHaveLength(1);
  expect(JSON.stringify(sent[0]?.activity)).toContain('did not answer in time');
  expect(took).toBeLessThan(PUBMED_DELAY_MS);
});
