// A signed payload's response_url is posted to only when it is Slack's hooks host or SLACK_API_URL's host:
// through the real server, a command or button naming any other host gets no post there, and it is logged.

import { allowedSlackHosts } from '../../../adapters/slack/outbound';
import { slackFetch } from '../../../adapters/slack/fetch';
import { recordingLogger } from '../../support/recording-logger';
import { startHarness, type Harness } from './harness';
import { blockActionBody, paperCommand } from './slack-requests';

const logger = recordingLogger();
/** Every URL the Slack adapter asked its HTTP layer for, after the allow-list. */
const fetched: string[] = [];
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    logger,
    app: {
      fetch: (url, init) => {
        fetched.push(String(url));
        return slackFetch(url, init);
      },
    },
  });
  h.eutils.setSearch('exfiltrate', ['22663011']);
  h.eutils.setSearch('allowed', ['22663011']);
});
afterAll(async () => h.close());

it('allows hooks.slack.com, files.slack.com (chart uploads) and the host of SLACK_API_URL only', () => {
  expect([...allowedSlackHosts('https://slack.com/api')].sort()).toEqual([
    'files.slack.com',
    'hooks.slack.com',
    'slack.com',
  ]);
  expect([...allowedSlackHosts('http://127.0.0.1:4000/api')].sort()).toEqual([
    '127.0.0.1',
    'files.slack.com',
    'hooks.slack.com',
  ]);
});

it.each([
  'https://attacker.example/commands/T1/1/x',
  'https://hooks.slack.com.attacker.example/commands/T1/1/x',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
])('posts no command answer to %s, and logs the refusal', async (foreign) => {
  logger.lines.length = 0;
  expect((await h.poster.post(paperCommand('exfiltrate', foreign))).status).toBe(200);
  await h.slack.waitFor(() =>
    logger.lines.find((l) => l.msg === 'slack: outbound call to a host not allowed; refused'),
  );
  expect(fetched.filter((url) => url.startsWith(foreign))).toHaveLength(0);
});

it('posts no button answer to a foreign response_url', async () => {
  logger.lines.length = 0;
  const foreign = 'https://attacker.example/actions/T1/2/y';
  const body = blockActionBody({
    actionId: 'pb:cite',
    blockId: 'x',
    value: 'cite 22663011',
    responseUrl: foreign,
  });
  expect((await h.poster.post(body)).status).toBe(200);
  const refused = await h.slack.waitFor(() =>
    logger.lines.find((l) => l.msg === 'slack: outbound call to a host not allowed; refused'),
  );
  expect(refused.fields.host).toBe('attacker.example');
  expect(fetched.filter((url) => url.startsWith(foreign))).toHaveLength(0);
});

it('still answers through a response_url on the allowed host', async () => {
  const url = h.slack.responseUrl();
  expect((await h.poster.post(paperCommand('allowed', url))).status).toBe(200);
  await h.slack.nextResponse(url);
  expect(fetched).toContain(url);
});
