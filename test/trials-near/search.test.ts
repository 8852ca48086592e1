// `trial search` through the real core and the fake ClinicalTrials.gov, which filters by what the request
// says (status, phase, radius against each site's geoPoint, place, age, sex, fields): the test proves the request.

import fs from 'node:fs';
import path from 'node:path';
import { renderReply as renderSlack } from '../../adapters/slack/blocks';
import { renderReply as renderTeams } from '../../adapters/teams/cards';
import type { Reply, Request, TrialCard } from '../../src/core/reply';
import { allTexts } from '../adapters/slack/block-checker';
import { startFakeCtgov, type FakeCtgov } from '../peers/ctgov';
import { startTestGraph, type TestGraph } from '../support/graph';

const ALCHEMIST = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '..', 'fixtures', 'clinicaltrials', 'v2_study_NCT04267848_1148_sites.json'),
    'utf8',
  ),
) as unknown;

let ctgov: FakeCtgov;
let graph: TestGraph;

const BOSTON: Request['place'] = { platform: 'slack', team: 'T1', channel: 'C_BOSTON' };
const ELSEWHERE: Request['place'] = { platform: 'slack', team: 'T1', channel: 'C_OTHER' };

const ask = (text: string, place: Request['place'] = BOSTON): Promise<Reply> =>
  graph.assistant.handle({ text, user: { id: 'U1' }, place });
const trialCards = (reply: Reply): TrialCard[] =>
  reply.cards.filter((c): c is TrialCard => c.type === 'trial');
const searches = (): Record<string, string>[] =>
  ctgov.requests.filter((r) => r.path === '/studies').map((r) => r.params);

beforeAll(async () => {
  ctgov = await startFakeCtgov();
  ctgov.addStudy(ALCHEMIST);
  graph = await startTestGraph({ ctgovUrl: ctgov.url });
  await ask('site set 42.3626,-71.0702 Boston tumor board');
});
afterAll(async () => {
  await graph.close();
  await ctgov.close();
});

describe('one search, one request, the filters sent as API v2 parameters', () => {
  it('near:here within:50km finds the 1,148-site study with the nearest site, its status and a count', async () => {
    const before = searches().length;
    const reply = await ask(
      'trial search adjuvant cond:"non-small cell" drug:carboplatin phase:3 age:64 sex:female near:here within:50km',
    );
    expect(searches().length - before).toBe(1);
    const params = searches().at(-1) as Record<string, string>;
    expect(params).toMatchObject({
      'query.term': 'adjuvant',
      'query.cond': 'non-small cell',
      'query.intr': 'carboplatin',
      'filter.overallStatus': 'RECRUITING,NOT_YET_RECRUITING',
      'filter.geo': 'distance(42.362600,-71.070200,50km)',
      sort: '@relevance',
      pageSize: '5',
      countTotal: 'true',
    });
    expect(params['filter.advanced']).toBe(
      '(AREA[Phase]PHASE3) AND ((AREA[MinimumAge]RANGE[MIN, 64 years] OR AREA[MinimumAge]MISSING) AND ' +
        '(AREA[MaximumAge]RANGE[64 years, MAX] OR AREA[MaximumAge]MISSING)) AND (AREA[Sex](FEMALE OR ALL))',
    );
    // Only what a result card shows: no criteria, outcomes or contacts.
    expect(params.fields?.split(',')).toEqual(expect.arrayContaining(['LocationGeoPoint', 'LocationStatus']));
    expect(params.fields).not.toMatch(/eligibilityModule|outcomesModule|ProtocolSection/);

    const [card] = trialCards(reply);
    expect(card?.trial.nct).toBe('NCT04267848');
    // The fields= answer still carries every site with its geoPoint and status, but no contacts; the card
    // keeps only the sites it names.
    expect(card?.trial.sites).toBeUndefined();
    expect(card?.sites).toMatchObject({
      kind: 'distance',
      reference: { name: 'Boston tumor board' },
      radius: { value: 50, unit: 'km' },
      recruitingWithin: 11,
      total: 1148,
    });
    if (card?.sites?.kind !== 'distance') throw new Error('expected distances');
    expect(card.sites.nearest[0]?.site).toEqual({
      facility: 'Boston Medical Center',
      city: 'Boston',
      state: 'Massachusetts',
      country: 'United States',
      status: 'RECRUITING',
      geo: { lat: 42.35843, lon: -71.05977 },
    });
    expect(card.sites.nearest[0]?.km).toBeCloseTo(1.0, 0);
    expect(card.trial.interventions.map((i) => i.name)).toContain('Carboplatin');
    expect(reply.total).toBe(1);
  });

  it('Slack and Teams show the nearest site, its distance and status, and the count within the radius', async () => {
    const reply = await ask('trial search adjuvant cond:"non-small cell" near:here within:50km');
    const slack = allTexts(renderSlack(reply).blocks).join('\n');
    expect(slack).toContain(
      'Nearest site: Boston Medical Center, Boston, Massachusetts, United States — 1.0 km · Recruiting',
    );
    expect(slack).toContain('11 sites recruit within 50 km of Boston tumor board');
    const teams = JSON.stringify(renderTeams(reply));
    expect(teams).toContain(
      'Nearest site: Boston Medical Center, Boston, Massachusetts, United States — 1.0 km · Recruiting',
    );
    expect(teams).toContain('11 sites recruit within 50 km of Boston tumor board');
  });

  it('the peer filters: no site within 100 km of Paris, a phase the study lacks, an age below its minimum', async () => {
    for (const text of [
      'trial search adjuvant near:48.8566,2.3522 within:100km',
      'trial search adjuvant near:here phase:2',
      'trial search adjuvant near:here age:16',
      'trial search adjuvant near:here status:completed',
    ]) {
      const reply = await ask(text);
      expect(trialCards(reply)).toEqual([]);
      expect(reply.notice).toMatch(/^No trials on ClinicalTrials.gov match “adjuvant”/);
    }
    expect(searches().at(-4)?.['filter.geo']).toBe('distance(48.856600,2.352200,100km)');
    const paris = await ask('trial search adjuvant near:48.8566,2.3522 within:100km');
    expect(paris.notice).toContain('within 100 km of 48.8566, 2.3522');
  });

  it('miles when the radius is in miles, measured from the typed point', async () => {
    const reply = await ask('trial search adjuvant near:61.2,-149.9 within:30mi');
    expect(searches().at(-1)?.['filter.geo']).toBe('distance(61.200000,-149.900000,30mi)');
    const [card] = trialCards(reply);
    if (card?.sites?.kind !== 'distance') throw new Error('expected distances');
    // Every Anchorage site shares one geoPoint: the recruiting one is named first.
    expect(card.sites.nearest[0]?.site).toMatchObject({
      facility: 'Katmai Oncology Group',
      status: 'RECRUITING',
    });
    expect(card.sites.unit).toBe('mi');
    expect(allTexts(renderSlack(reply).blocks).join('\n')).toContain('— 1.2 mi · Recruiting');
  });

  it('a city goes to query.locn and the card names the matched site without a distance', async () => {
    const reply = await ask('trial search adjuvant near:Anchorage');
    const params = searches().at(-1) as Record<string, string>;
    expect(params['query.locn']).toBe('Anchorage');
    expect(params['filter.geo']).toBeUndefined();
    const [card] = trialCards(reply);
    expect(card?.sites).toMatchObject({ kind: 'place', place: 'Anchorage' });
    const slack = allTexts(renderSlack(reply).blocks).join('\n');
    expect(slack).toContain(
      'Near Anchorage (as ClinicalTrials.gov matches it): Katmai Oncology Group, Anchorage, Alaska, United States · Recruiting',
    );
    expect(slack).not.toMatch(/\d km/);
    const nowhere = await ask('trial search adjuvant near:Reykjavik');
    expect(trialCards(nowhere)).toEqual([]);
  });

  it('is cached like article searches: the same search again sends nothing', async () => {
    await ask('trial search adjuvant cond:"non-small cell" near:here within:50km');
    const before = ctgov.requests.length;
    await ask('trial search adjuvant cond:"non-small cell" near:here within:50km');
    expect(ctgov.requests.length).toBe(before);
  });
});

describe('the board site', () => {
  it('is kept per channel: another channel has none, so near:here asks for one', async () => {
    const reply = await ask('trial search adjuvant near:here', ELSEWHERE);
    expect(reply.cards).toEqual([
      expect.objectContaining({ type: 'error', message: expect.stringMatching(/no site yet/) }),
    ]);
    expect((await ask('site', ELSEWHERE)).notice).toMatch(/has no site/);
    expect((await ask('site')).notice).toMatch(
      /This channel's site is Boston tumor board \(42\.3626, -71\.0702\)/,
    );
  });

  it('site clear removes it; set again restores it', async () => {
    const place: Request['place'] = { platform: 'teams', team: 'T9', channel: '19:abc@thread.tacv2' };
    await ask('site set 44.9778,-93.2650 Minneapolis board', place);
    expect((await ask('site', place)).notice).toContain('Minneapolis board');
    expect((await ask('site clear', place)).notice).toMatch(/cleared/);
    expect((await ask('site', place)).notice).toMatch(/has no site/);
    expect((await ask('site clear', place)).notice).toMatch(/had no site of its own/);
  });

  it('the detail card lists the five sites nearest the board, with contacts, then how many more', async () => {
    const reply = await ask('trial NCT04267848');
    const [card] = trialCards(reply);
    expect(card?.detail).toBe('full');
    const slack = allTexts(renderSlack(reply).blocks).join('\n');
    expect(slack).toContain('*Sites nearest Boston tumor board*');
    expect(slack).toMatch(
      /• Boston Medical Center, Boston, Massachusetts, United States — 1\.0 km — Recruiting — contact: /,
    );
    expect(slack).toContain('and 1,143 more sites');
    const teams = JSON.stringify(renderTeams(reply));
    expect(teams).toContain('Sites nearest Boston tumor board');
    expect(teams).toContain('and 1,143 more sites');
  });

  it('PAPERBOT_DEFAULT_SITE serves every channel without its own', async () => {
    const other = await startTestGraph({
      ctgovUrl: ctgov.url,
      env: { PAPERBOT_DEFAULT_SITE: '44.9778,-93.2650 Minneapolis board' },
    });
    try {
      const reply = await other.assistant.handle({
        text: 'trial search adjuvant near:here within:50km',
        user: { id: 'U2' },
        place: ELSEWHERE,
      });
      const [card] = trialCards(reply);
      if (card?.sites?.kind !== 'distance') throw new Error('expected distances');
      expect(card.sites.reference.name).toBe('Minneapolis board');
      expect(card.sites.nearest[0]?.site.facility).toBe('Hennepin County Medical Center');
      const site = await other.assistant.handle({ text: 'site', user: { id: 'U2' }, place: ELSEWHERE });
      expect(site.notice).toMatch(/deployment's default site is Minneapolis board/);
    } finally {
      await other.close();
    }
  });
});
