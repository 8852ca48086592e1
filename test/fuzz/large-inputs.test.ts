// Every parser that sees user text, fed 1 MB of the repetitions that make backtracking expressions quadratic
// (a Teams mention strip once took 1.7 s on 200 KB). Behaviour, not timings: each call must return, and
// Jest's timeout catches a quadratic one (1 MB squared is hours).

import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { main } from '../../adapters/cli/main';
import { parseActionsBlockId } from '../../adapters/slack/blocks';
import { fitMrkdwn } from '../../adapters/slack/escape';
import { ackText } from '../../adapters/slack/handlers';
import { wanted } from '../../adapters/slack/unfurl';
import { queryText } from '../../adapters/teams/extension';
import {
  clientTimeZone,
  conversationKey,
  conversationKind,
  readIncoming,
  type IncomingActivity,
} from '../../adapters/teams/incoming';
import { parseCommand, parseSearch } from '../../src/core/commands';
import { decodeCursor } from '../../src/core/cursor';
import { parseLookupId } from '../../src/core/ids';
import { parseDigestCommand, parseDigestId } from '../../src/digest/commands';
import { ftsString, toFtsMatch } from '../../src/library/fts-query';
import { toEntrezTerm } from '../../src/pubmed/query';
import { CLOSED_URL, tempDataDir, testEnv } from '../support/graph';

const MB = 2 ** 20;

/** Short pieces whose repetition defeats a backtracking expression somewhere in a parser of ours. */
const SEEDS = [
  '<p',
  '<at',
  '<at>',
  '</at',
  'x<at y>',
  '<b',
  '<',
  '>',
  '&amp',
  '"',
  '"a',
  '(',
  ')',
  ' ',
  '\t',
  'a ',
  'a',
  '.',
  ',;',
  '10.',
  '10.1234/',
  'doi:',
  'pmid:',
  'PMC',
  'https://doi.org/',
  '<http://',
  '|',
  'since:',
  'type:',
  'AND ',
  'NOT ',
  '[',
  '*',
  ':',
  '-',
  '0',
  '#',
  ';messageid=',
  '\u200B',
  '%',
  'at 9:00 ',
];

/** 1 MB of the seed, then a character that makes every pending match fail at the very end. */
const inputs = SEEDS.map((seed) => seed.repeat(Math.ceil(MB / seed.length)).slice(0, MB) + '!');

const teamsActivity = (text: string): IncomingActivity => ({
  text,
  recipient: { id: '28:bot', name: 'paperbot' },
  conversation: { id: text, conversationType: 'channel' },
  entities: [
    { type: 'mention', text: '<at>paperbot</at>', mentioned: { id: '28:bot', name: 'paperbot' } },
    { type: 'mention', text, mentioned: { id: '28:bot', name: text } },
    { type: 'clientInfo', timezone: text },
  ],
});

const parsers: [string, (text: string) => unknown][] = [
  ['core command', (t) => parseCommand(t, 2026)],
  ['core search (unbounded by the command length cap)', (t) => parseSearch(t, 2026)],
  ['core identifier', (t) => parseLookupId(t)],
  ['core identifier after a DOI prefix', (t) => parseLookupId(`10.1234/${t}`)],
  ['core cursor', (t) => decodeCursor(t)],
  ['digest add', (t) => parseDigestCommand(`add ${t}`, 2026)],
  ['digest preview', (t) => parseDigestCommand(`preview ${t}`, 2026)],
  ['digest id', (t) => parseDigestId(t)],
  ['library FTS query', (t) => toFtsMatch(t, {})],
  ['library FTS string', (t) => ftsString(t)],
  ['PubMed term', (t) => toEntrezTerm({ terms: t, types: [], sort: 'relevance', start: 0, pageSize: 5 })],
  ['Slack command ack', (t) => ackText(t)],
  ['Slack mrkdwn fit', (t) => fitMrkdwn(t, 200)],
  ['Slack action block id', (t) => parseActionsBlockId(t)],
  ['Slack unfurl link', (t) => wanted(`https://pubmed.ncbi.nlm.nih.gov/${t}`)],
  ['Teams incoming message', (t) => readIncoming(teamsActivity(t))],
  ['Teams conversation', (t) => [conversationKind(teamsActivity(t)), conversationKey(teamsActivity(t))]],
  ['Teams client time zone', (t) => clientTimeZone(teamsActivity(t))],
  [
    'Teams messaging-extension query',
    (t) => queryText({ commandId: 'paper', parameters: [{ name: 'query', value: t }] }),
  ],
];

describe.each(parsers)('%s', (_name, parse) => {
  it('returns on every 1 MB adversarial input', () => {
    for (const input of inputs) expect(() => parse(input)).not.toThrow();
  });
});

describe('CLI arguments', () => {
  it('answers a 1 MB query argument with the length refusal', async () => {
    const dataDir = tempDataDir();
    try {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      const code = await main(['--offline', '--json', '--', ...inputs.slice(0, 3)], {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stderr: new PassThrough() as unknown as NodeJS.WriteStream,
        env: testEnv({ eutilsUrl: CLOSED_URL }, dataDir),
        cwd: dataDir,
      });
      expect(code).toBe(1);
      expect(out).toContain('I take at most 1,000');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
