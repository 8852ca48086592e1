// Fuzzing the request doors: recorded Slack and Teams payloads and headers, mutated by fast-check and sent to
// real listening servers in this process (Slack bodies signed so they reach the handlers). However broken the
// request: no 5xx (but a 501 for an invoke paperbot does not implement), no rejection escapes, nothing is
// sent beyond this machine, and memory stays bounded.

import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { slackFetch } from '../../adapters/slack/fetch';
import { fixture, startHarness as startTeams, type Harness as TeamsHarness } from '../adapters/teams/harness';
import { startHarness as startSlack, type Harness as SlackHarness } from '../adapters/slack/harness';
import {
  blockActionBody,
  paperCommand,
  readSlackFixture,
  sign,
  SIGNING_SECRET,
} from '../adapters/slack/slack-requests';
import { applyJson, applyText, jsonMutations, textEdits, type Json, type TextEdit } from './mutate';
import { recordOutbound, type OutboundRecorder } from './outbound';

/** Requests sent at once in each property run; runs × batch = cases per endpoint. */
const BATCH = 100;
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
/** Heap growth allowed over a whole endpoint's cases (a leak of even 10 KB a request would pass 100 MB). */
const HEAP_GROWTH_LIMIT = 150 * 2 ** 20;

jest.setTimeout(300_000);

let outbound: OutboundRecorder;
const escaped: unknown[] = [];
const onRejection = (reason: unknown): void => void escaped.push(reason);
const agent = new Agent({ connections: BATCH, keepAliveTimeout: 1000 });

beforeAll(() => {
  outbound = recordOutbound();
  process.on('unhandledRejection', onRejection);
});
afterAll(async () => {
  outbound.stop();
  process.off('unhandledRejection', onRejection);
  await agent.close();
});

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await request(url, {
    method: 'POST',
    body,
    headers,
    dispatcher: agent,
    headersTimeout: 10_000,
  }).catch((error: unknown) => {
    throw new Error(`no answer to ${JSON.stringify({ headers, body: body.slice(0, 300) })}`, {
      cause: error,
    });
  });
  await res.body.dump();
  return res.statusCode;
}

// Garbage is collected before each measurement, so growth means memory still held, not garbage not yet swept.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

type SlackSeed =
  | { kind: 'fields'; body: Json; contentType: string }
  | { kind: 'payload'; body: Json; contentType: string }
  | { kind: 'json'; body: Json; contentType: string };

const FORM = 'application/x-www-form-urlencoded';

function slackSeeds(responseUrl: string): SlackSeed[] {
  const local = (text: string): string => text.replaceAll('https://hooks.slack.com/', `${responseUrl}/`);
  const fields = (body: string): Json => Object.fromEntries(new URLSearchParams(local(body)));
  const payloadOf = (body: string): Json =>
    JSON.parse(new URLSearchParams(local(body)).get('payload') ?? 'null') as Json;
  const json = (name: string, member?: string): Json => {
    const parsed = JSON.parse(local(readSlackFixture(name))) as Record<string, Json>;
    return member ? (parsed[member] ?? null) : parsed;
  };
  const linkShared: Json = {
    ...(json('vercel_app_mention_channel.json', 'mention') as Record<string, Json>),
    event: {
      type: 'link_shared',
      channel: 'C00FAKECHAN1',
      user: 'U00FAKEUSER1',
      message_ts: '1767326126.896109',
      links: [{ domain: 'pubmed.ncbi.nlm.nih.gov', url: 'https://pubmed.ncbi.nlm.nih.gov/22663011/' }],
    },
  };
  return [
    {
      kind: 'fields',
      body: fields(paperCommand('pembrolizumab type:rct since:2020', responseUrl)),
      contentType: FORM,
    },
    {
      kind: 'fields',
      body: fields(paperCommand('digest add melanoma weekly', responseUrl)),
      contentType: FORM,
    },
    { kind: 'fields', body: fields(readSlackFixture('slash_command_body.txt')), contentType: FORM },
    {
      kind: 'payload',
      body: payloadOf(
        blockActionBody({ actionId: 'pb:share', blockId: 'm.0.a', value: 'share 22663011', responseUrl }),
      ),
      contentType: FORM,
    },
    {
      kind: 'payload',
      body: payloadOf(readSlackFixture('block_actions_form_payload_state.txt')),
      contentType: FORM,
    },
    { kind: 'payload', body: json('shape_block_actions_payload_blanked.json'), contentType: FORM },
    { kind: 'payload', body: json('shape_view_submission_payload_blanked.json'), contentType: FORM },
    { kind: 'json', body: json('url_verification.json'), contentType: 'application/json' },
    {
      kind: 'json',
      body: json('vercel_app_mention_channel.json', 'mention'),
      contentType: 'application/json',
    },
    { kind: 'json', body: linkShared, contentType: 'application/json' },
  ];
}

function encodeSlack(seed: SlackSeed, body: Json): string {
  if (seed.kind === 'json') return JSON.stringify(body) ?? '';
  if (seed.kind === 'payload') return new URLSearchParams({ payload: JSON.stringify(body) ?? '' }).toString();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return String(body);
  return new URLSearchParams(
    Object.entries(body).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  ).toString();
}

/** Mostly what Slack sends, sometimes not: the broken variants must be refused, the rest reach handlers. */
function mostly<T>(usual: T, others: T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 9, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constantFrom(...others) },
  );
}

const slackCase = fc.record({
  seed: fc.nat(),
  json: jsonMutations,
  text: fc.oneof({ weight: 3, arbitrary: fc.constant<TextEdit[]>([]) }, { weight: 1, arbitrary: textEdits }),
  contentType: mostly<string | undefined>(undefined, [
    'application/json',
    FORM,
    'text/plain',
    `${FORM}; charset=utf-8`,
  ]),
  timestamp: mostly('now', ['Infinity', 'stale', 'future', '1e9', 'missing']),
  signature: mostly('valid', ['missing', 'wrong', 'v0=zz']),
});

describe('the Slack door under fuzzing', () => {
  let h: SlackHarness;
  /** Every URL the Slack adapter sent to (after its own allow-list); anything not local is refused here too. */
  const fetched: string[] = [];

  beforeAll(async () => {
    h = await startSlack({
      app: {
        // Listeners that do not ack (an unknown action) hold their request this long before Bolt's 404.
        unackedRequestMs: 50,
        fetch: (url, init) => {
          fetched.push(String(url));
          if (new URL(url).hostname !== '127.0.0.1') return Promise.reject(new Error('fuzz: no network'));
          return slackFetch(url, init);
        },
      },
    });
    h.eutils.setSearch('pembrolizumab', ['22663011']);
  });
  afterAll(async () => h.close());

  it(`answers ${RUNS * BATCH} mutated requests without a 5xx, an escape or an outbound call elsewhere`, async () => {
    const seeds = slackSeeds(h.slack.responseUrl());
    const statuses = new Map<number, number>();
    const before = heapUsed();
    await fc.assert(
      fc.asyncProperty(fc.array(slackCase, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        const results = await Promise.all(
          cases.map((c) => {
            const seed = seeds[c.seed % seeds.length] as SlackSeed;
            const body = applyText(encodeSlack(seed, applyJson(seed.body, c.json)), c.text);
            const now = Math.floor(Date.now() / 1000);
            const ts =
              { now, stale: now - 400, future: now + 400 }[c.timestamp as 'now'] ?? (c.timestamp as string);
            const headers: Record<string, string> = { 'content-type': c.contentType ?? seed.contentType };
            if (c.timestamp !== 'missing') headers['x-slack-request-timestamp'] = String(ts);
            if (c.signature === 'valid')
              headers['x-slack-signature'] = sign(SIGNING_SECRET, ts as number, body);
            else if (c.signature === 'wrong')
              headers['x-slack-signature'] = sign('another secret', now, body);
            else if (c.signature !== 'missing') headers['x-slack-signature'] = c.signature;
            return post(`${h.url}/slack/events`, body, headers);
          }),
        );
        for (const status of results) {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(status).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(escaped).toEqual([]);
    expect(fetched.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
    expect(outbound.foreign()).toEqual([]);
    // What the fakes and this test recorded is theirs, not the server's.
    fetched.length = 0;
    h.slack.reset();
    h.eutils.reset();
    expect(heapUsed() - before).toBeLessThan(HEAP_GROWTH_LIMIT);
    // The mutations must mostly reach the handlers, or this proves little about them.
    expect(statuses.get(200) ?? 0).toBeGreaterThan((RUNS * BATCH) / 4);
  });
});

function teamsSeeds(): Json[] {
  const activities: Json[] = [];
  for (const name of [
    'botbuilder_teams_SampleActivityAtMention.json',
    'botbuilder_teams_SampleActivityChannelCreated.json',
    'botbuilder_teams_SampleActivityComposeExtension.json',
    'botbuilder_teams_SampleActivityConversationUpdateWithAADObjectId.json',
    'botbuilder_teams_SampleActivityMembersAdded.json',
    'botbuilder_teams_SampleActivityNoMentions.json',
  ])
    activities.push(fixture(name) as Json);
  for (const name of [
    'vercel_teams_dm.json',
    'vercel_teams_card_action_and_reaction.json',
    'vercel_teams_mention_followup.json',
  ])
    for (const value of Object.values(fixture(name)))
      if (value && typeof value === 'object' && 'type' in value) activities.push(value as Json);
  activities.push({
    ...(fixture('botbuilder_teams_SampleActivityComposeExtension.json') as Record<string, Json>),
    name: 'task/fetch',
  });
  return activities;
}

const teamsCase = fc.record({
  seed: fc.nat(),
  json: jsonMutations,
  text: fc.oneof({ weight: 3, arbitrary: fc.constant<TextEdit[]>([]) }, { weight: 1, arbitrary: textEdits }),
  contentType: fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
  ),
});

describe('the Teams door under fuzzing (PAPERBOT_DEV=1, replies to the local connector)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeams();
    h.eutils.setSearch('Test Message', ['22663011']);
  });
  afterAll(async () => h.close());

  it(`answers ${RUNS * BATCH} mutated activities with no 5xx but 501, no escape and no outbound call elsewhere`, async () => {
    const seeds = teamsSeeds().map((s) => ({
      ...(s as Record<string, Json>),
      serviceUrl: h.connector.serviceUrl,
    }));
    const statuses = new Map<number, number>();
    const before = heapUsed();
    await fc.assert(
      fc.asyncProperty(fc.array(teamsCase, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        const results = await Promise.all(
          cases.map((c) => {
            const seed = seeds[c.seed % seeds.length] as Json;
            const body = applyText(JSON.stringify(applyJson(seed, c.json)) ?? '', c.text);
            return post(`${h.url}/api/messages`, body, { 'content-type': c.contentType });
          }),
        );
        for (const status of results) {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status !== 501) expect(status).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(escaped).toEqual([]);
    expect(outbound.foreign()).toEqual([]);
    expect(h.connector.requests.length).toBeGreaterThan(0);
    h.connector.reset();
    h.eutils.reset();
    expect(heapUsed() - before).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(statuses.get(200) ?? 0).toBeGreaterThan((RUNS * BATCH) / 4);
  });
});
