// `trial …` through the real core: fake ClinicalTrials.gov v2 and fake E-utilities on 127.0.0.1,
// real library and cache in a temp directory.

import fs from 'node:fs';
import path from 'node:path';
import type { Reply, TrialCard } from '../../src/core/reply';
import { startFakeCtgov, type FakeCtgov } from '../peers/ctgov';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { CLOSED_URL, startTestGraph, type TestGraph } from '../support/graph';

let ctgov: FakeCtgov;
let eutils: FakeEutils;
let graph: TestGraph;

const ask = (g: TestGraph, text: string): Promise<Reply> =>
  g.assistant.handle({ text, user: { id: 'U1' }, place: { platform: 'cli' } });
const trials = (reply: Reply): TrialCard[] => reply.cards.filter((c): c is TrialCard => c.type === 'trial');

function keynote189(): unknown {
  // A recorded study, re-labelled as KEYNOTE-189 (NCT02578680) so acronym resolution has a target.
  const study = JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '..', 'fixtures', 'clinicaltrials', 'v2_study_NCT06382129_nsclc_fields.json'),
      'utf8',
    ),
  ) as { protocolSection: { identificationModule: Record<string, unknown> } };
  Object.assign(study.protocolSection.identificationModule, {
    nctId: 'NCT02578680',
    acronym: 'KEYNOTE-189',
    briefTitle:
      'Pemetrexed + Platinum Chemotherapy With or Without Pembrolizumab in Advanced Nonsquamous NSCLC',
  });
  return study;
}

beforeAll(async () => {
  ctgov = await startFakeCtgov();
  ctgov.addStudy(keynote189());
  eutils = await startFakeEutils();
  graph = await startTestGraph({ ctgovUrl: ctgov.url, eutilsUrl: eutils.url });
});
afterAll(async () => {
  await graph.close();
  await ctgov.close();
  await eutils.close();
});

it('trial NCT… answers one full trial card with the registry values as given', async () => {
  const reply = await ask(graph, 'trial NCT06382129');
  const [card] = trials(reply);
  // Values read from test/fixtures/clinicaltrials/v2_study_NCT06382129_nsclc_fields.json
  expect(card?.detail).toBe('full');
  expect(card?.trial).toMatchObject({
    nct: 'NCT06382129',
    status: 'ACTIVE_NOT_RECRUITING',
    phases: ['PHASE3'],
    startDate: { date: '2024-05-17' },
    completionDate: { date: '2026-12' },
  });
  expect(card?.links.clinicalTrials).toBe('https://clinicaltrials.gov/study/NCT06382129');
});

it('a malformed NCT id is explained without asking the registry', async () => {
  const before = ctgov.requests.length;
  const reply = await ask(graph, 'trial NCT123');
  expect(reply.cards).toEqual([
    { type: 'error', message: '"NCT123" is not an NCT id: they have exactly 8 digits, like NCT02578680.' },
  ]);
  expect(ctgov.requests.length).toBe(before);
});

it('an unknown trial says so', async () => {
  const reply = await ask(graph, 'trial NCT09999999');
  expect(reply.cards).toEqual([{ type: 'error', message: 'ClinicalTrials.gov has no study NCT09999999.' }]);
});

it('resolves an acronym to its trial', async () => {
  const reply = await ask(graph, 'trial KEYNOTE-189');
  expect(trials(reply).map((c) => [c.trial.nct, c.trial.acronym, c.detail])).toEqual([
    ['NCT02578680', 'KEYNOTE-189', 'full'],
  ]);
});

it('searches with status and phase filters and pages with more', async () => {
  const reply = await ask(graph, 'trial melanoma status:recruiting');
  expect(trials(reply).length).toBeGreaterThan(0);
  expect(trials(reply).every((c) => c.trial.status === 'RECRUITING')).toBe(true);
  const sent = ctgov.requests.at(-1);
  expect(sent?.params['filter.overallStatus']).toBe('RECRUITING');

  const phased = await ask(graph, 'trial lung cancer phase:3');
  expect(ctgov.requests.at(-1)?.params['filter.advanced']).toContain('PHASE3');
  expect(phased.cards.length).toBeGreaterThan(0);

  const first = await ask(graph, 'trial phelan');
  expect(first.more).toMatch(/^more /);
  const firstIds = trials(first).map((c) => c.trial.nct);
  const second = await ask(graph, first.more as string);
  const secondIds = trials(second).map((c) => c.trial.nct);
  expect(secondIds.length).toBeGreaterThan(0);
  expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
  // The second page numbers on from the first.
  expect(first.first).toBeUndefined();
  expect(second.first).toBe(firstIds.length + 1);
});

it('explains bad filters', async () => {
  expect((await ask(graph, 'trial melanoma status:sleeping')).cards[0]).toMatchObject({
    type: 'error',
    message: '"sleeping" is not a trial status I know.',
  });
  expect((await ask(graph, 'trial melanoma phase:9')).cards[0]).toMatchObject({
    type: 'error',
    message: '"9" is not a phase I know.',
  });
});

it('falls back to the library with a notice when ClinicalTrials.gov is unreachable', async () => {
  const offline = await startTestGraph({ ctgovUrl: CLOSED_URL, eutilsUrl: CLOSED_URL });
  try {
    const reply = await ask(offline, 'trial NCT06382129');
    expect(reply.notice).toMatch(
      /^ClinicalTrials\.gov is not reachable right now\. Showing the 1 match from the local library/,
    );
    expect(trials(reply)[0]?.source).toBe('library');
  } finally {
    await offline.close();
  }
});

it('a trial card lists the articles PubMed links to its NCT id', async () => {
  const metric = keynote189() as { protocolSection: { identificationModule: Record<string, unknown> } };
  Object.assign(metric.protocolSection.identificationModule, { nctId: 'NCT01245062', acronym: 'METRIC' });
  ctgov.addStudy(metric);
  eutils.setSearch('NCT01245062[si]', ['22663011']);
  const [card] = trials(await ask(graph, 'trial NCT01245062'));
  expect(card?.publications).toContainEqual({ pmid: '22663011', linkedInPubmed: true });
  expect(card?.actions.map((a) => a.command)).toContain('show 22663011');
});

it("an article's Trials button opens the linked trial", async () => {
  const show = await ask(graph, 'show 22663011');
  const card = show.cards[0];
  if (card?.type !== 'article') throw new Error('expected an article card');
  const button = card.actions.find((a) => a.id === 'trials');
  expect(button?.command).toBe('trial NCT01245062');
});

it('trial NCT… eligibility answers the criteria as written, with the Eligibility button leading there', async () => {
  const full = trials(await ask(graph, 'trial NCT06382129'))[0];
  const button = full?.actions.find((a) => a.id === 'eligibility');
  expect(button).toEqual({
    id: 'eligibility',
    label: 'Eligibility',
    command: 'trial NCT06382129 eligibility',
  });
  const [card] = trials(await ask(graph, 'trial nct06382129 Eligibility'));
  expect(card?.section).toBe('eligibility');
  // The reply carries the record's own criteria text (also what --json prints).
  expect(card?.trial.eligibility?.criteria).toMatch(/^Inclusion Criteria:/);
  expect(card?.actions.some((a) => a.id === 'eligibility')).toBe(false);
  const unknown = await ask(graph, 'trial NCT09999999 eligibility');
  expect(unknown.cards[0]).toMatchObject({
    type: 'error',
    message: 'ClinicalTrials.gov has no study NCT09999999.',
  });
});
