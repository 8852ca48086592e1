// The one-attempt ClinicalTrials.gov client against the fake API v2 on 127.0.0.1 (recorded fixtures):
// request shape, parsing, and how every kind of failure maps to a PaperbotError.

import { Agent } from 'undici';
import { createCtgovClient, type CtgovClient } from '../../src/clinicaltrials/client';
import { PaperbotError } from '../../src/core/errors';
import { startFakeCtgov, type FakeCtgov } from '../peers/ctgov';

let peer: FakeCtgov;
let agent: Agent;
let client: CtgovClient;

beforeAll(async () => {
  peer = await startFakeCtgov();
  agent = new Agent();
  client = createCtgovClient({ baseUrl: peer.url, dispatcher: agent, attemptTimeoutMs: 300 });
});

afterAll(async () => {
  await agent.close();
  await peer.close();
});

beforeEach(() => {
  peer.requests.length = 0;
});

async function failure(work: Promise<unknown>): Promise<PaperbotError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof PaperbotError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('getStudy', () => {
  test('GET /studies/{nct} with format=json and the protocol fields; the recorded study comes back as a Trial', async () => {
    const trial = await client.getStudy('NCT02576665');
    expect(trial.leadSponsor).toBe('Tocagen Inc.');
    expect(trial.status).toBe('TERMINATED');
    expect(peer.requests).toHaveLength(1);
    expect(peer.requests[0]?.path).toBe('/studies/NCT02576665');
    expect(peer.requests[0]?.params).toEqual({ format: 'json', fields: 'ProtocolSection,HasResults' });
  });

  test('ids are trimmed and upper-cased before the request', async () => {
    const trial = await client.getStudy(' nct06382129 ');
    expect(trial.nct).toBe('NCT06382129');
    expect(peer.requests[0]?.path).toBe('/studies/NCT06382129');
  });

  test.each(['NCT123', 'NCT0257666', '02576665', 'NCT025766651', 'NCT02576665;drop', ''])(
    '%j is refused as bad_input without any request',
    async (id) => {
      const error = await failure(client.getStudy(id));
      expect(error.code).toBe('bad_input');
      expect(error.retryable).toBe(false);
      expect(peer.requests).toHaveLength(0);
    },
  );

  test('404 text/plain → not_found, keeping the server text', async () => {
    const error = await failure(client.getStudy('NCT00000001'));
    expect(error.code).toBe('not_found');
    expect(error.retryable).toBe(false);
    expect(error.source).toBe('clinicaltrials');
    expect(error.message).toContain('NCT00000001');
  });

  test('an alias id follows the 301 to the study, with our parameters', async () => {
    peer.addAlias('NCT09999999', 'NCT02576665');
    const trial = await client.getStudy('NCT09999999');
    expect(trial.nct).toBe('NCT02576665');
    expect(peer.requests.map((r) => r.path)).toEqual(['/studies/NCT09999999', '/studies/NCT02576665']);
    expect(peer.requests[1]?.params.fields).toBe('ProtocolSection,HasResults');
  });
});

describe('failures, one attempt each', () => {
  test('429 → rate_limited with Retry-After in seconds', async () => {
    peer.fail({ kind: 'rate_limit', retryAfter: '7' });
    const error = await failure(client.getStudy('NCT02576665'));
    expect(error.code).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(7);
    expect(peer.requests).toHaveLength(1);
  });

  test('500 → upstream_unavailable (retryable)', async () => {
    peer.fail({ kind: 'server_error', status: 503 });
    const error = await failure(client.getStudy('NCT02576665'));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryable).toBe(true);
  });

  test('400 text/plain → upstream_error with the server text, not retryable', async () => {
    peer.fail({ kind: 'bad_request', text: 'Unknown field: Nope' });
    const error = await failure(client.searchStudies({ term: 'x', pageSize: 5 }));
    expect(error.code).toBe('upstream_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Unknown field: Nope');
  });

  test('truncated JSON → bad_response (retryable: it is usually passing)', async () => {
    peer.fail({ kind: 'malformed_json' });
    const error = await failure(client.getStudy('NCT02576665'));
    expect(error.code).toBe('bad_response');
    expect(error.retryable).toBe(true);
  });

  test('a server that never answers → timeout after attemptTimeoutMs', async () => {
    peer.fail({ kind: 'hang' });
    const error = await failure(client.getStudy('NCT02576665'));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  test('a reset connection → upstream_unavailable', async () => {
    peer.fail({ kind: 'reset' });
    const error = await failure(client.getStudy('NCT02576665'));
    expect(error.code).toBe('upstream_unavailable');
  });

  test("the caller's abort reason wins and is not retryable", async () => {
    peer.fail({ kind: 'hang' });
    const controller = new AbortController();
    const work = client.getStudy('NCT02576665', controller.signal);
    // Abort only once the request is at the server, so the queued hang is used up by this test.
    while (peer.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await failure(work);
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(false);
  });
});

describe('searchStudies', () => {
  test('the query string: terms, acronym as an exact Acronym area, statuses, phases as filter.advanced', async () => {
    await client.searchStudies({
      term: 'pembrolizumab',
      cond: 'lung cancer',
      intr: 'pemetrexed',
      acronym: 'KEYNOTE-189',
      status: ['RECRUITING', 'ACTIVE_NOT_RECRUITING'],
      phase: ['PHASE2', 'phase3'],
      pageSize: 5,
      countTotal: true,
    });
    expect(peer.requests[0]?.path).toBe('/studies');
    expect(peer.requests[0]?.params).toEqual({
      format: 'json',
      'query.term': '(pembrolizumab) AND AREA[Acronym]"KEYNOTE-189"',
      'query.cond': 'lung cancer',
      'query.intr': 'pemetrexed',
      'filter.overallStatus': 'RECRUITING,ACTIVE_NOT_RECRUITING',
      'filter.advanced': 'AREA[Phase](PHASE2 OR PHASE3)',
      sort: '@relevance',
      fields: 'ProtocolSection,HasResults',
      pageSize: '5',
      countTotal: 'true',
    });
  });

  test('a recorded page: totalCount and nextPageToken from the fixture', async () => {
    const page = await client.searchStudies({ intr: 'Keytruda', pageSize: 3, countTotal: true });
    expect(page.totalCount).toBe(2924);
    expect(page.nextPageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4YnzmVtA');
    expect(page.studies.map((t) => t.nct)).toEqual(['NCT05431270', 'NCT03590054', 'NCT04795661']);
  });

  test('one phase is a plain AREA; an unknown phase or status never reaches the API', async () => {
    await client.searchStudies({ term: 'melanoma', phase: ['PHASE3'], pageSize: 2 });
    expect(peer.requests[0]?.params['filter.advanced']).toBe('AREA[Phase]PHASE3');
    expect((await failure(client.searchStudies({ term: 'x', phase: ['PHASE5'], pageSize: 2 }))).code).toBe(
      'bad_input',
    );
    const status = ['OPEN'] as unknown as ['RECRUITING'];
    expect((await failure(client.searchStudies({ term: 'x', status, pageSize: 2 }))).code).toBe('bad_input');
    expect(peer.requests).toHaveLength(1);
  });

  test('quotes in an acronym cannot break out of the Essie phrase', async () => {
    await client.searchStudies({ acronym: 'A"B) OR (x', pageSize: 2 });
    expect(peer.requests[0]?.params['query.term']).toBe('AREA[Acronym]"A B) OR (x"');
  });
});
