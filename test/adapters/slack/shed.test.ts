// shedOrPass on a real node:http server: which requests it refuses itself while the replica is full, and
// which it hands to Bolt (here a recorder standing in for Bolt's listener, which must find the body unread).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPModuleFunctions } from '@slack/bolt';
import { silentLogger } from '../../../src/core/logger';
import { BUSY } from '../../../src/core/wording';
import { shedOrPass } from '../../../adapters/slack/shed';
import { blockActionBody, paperCommand, slackPoster, type SlackPoster } from './slack-requests';
import { SIGNING_SECRET } from './slack-requests';

let server: http.Server;
let poster: SlackPoster;
let admitted = false;
let admits = 0;
/** Bodies Bolt's listener received, as Bolt reads them (reusing the buffered body). */
const toBolt: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    void shedOrPass(
      {
        signingSecret: SIGNING_SECRET,
        logger: silentLogger,
        now: () => Date.now(),
        admit: () => {
          admits += 1;
          return admitted;
        },
        bolt: (q, s) => {
          void HTTPModuleFunctions.bufferIncomingMessage(q).then((buffered) => {
            toBolt.push(buffered.rawBody.toString('utf8'));
            s.writeHead(299).end();
          });
        },
      },
      req,
      res,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  poster = slackPoster(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await poster.close();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  toBolt.length = 0;
  admits = 0;
  admitted = false;
});

const command = paperCommand('pembrolizumab nsclc', 'http://127.0.0.1:9/r');

it('refuses a signed slash command itself, with the busy ack, when it cannot be admitted', async () => {
  const posted = await poster.post(command);
  expect(posted.status).toBe(200);
  expect(JSON.parse(posted.body)).toEqual({ response_type: 'ephemeral', text: `:hourglass: ${BUSY}` });
  expect(admits).toBe(1);
  expect(toBolt).toEqual([]);
});

it('hands an admitted command to Bolt with its body still readable', async () => {
  admitted = true;
  expect((await poster.post(command)).status).toBe(299);
  expect(toBolt).toEqual([command]);
});

it('never refuses what it could not verify: Bolt gets it, and answers 401 itself', async () => {
  await poster.post(command, { signature: null });
  await poster.post(command, { secret: 'another-secret' });
  await poster.post(command, { timestamp: Math.floor(Date.now() / 1000) - 600 });
  expect(toBolt).toEqual([command, command, command]);
  expect(admits).toBe(0);
});

it('hands buttons, events and ssl checks to Bolt: only commands are refused here', async () => {
  const button = blockActionBody({
    actionId: 'pb:abstract',
    blockId: 'x',
    value: 'abstract 1',
    responseUrl: 'http://127.0.0.1:9/r',
  });
  const event = JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' } });
  await poster.post(button);
  await poster.post(event, { json: true });
  await poster.post('ssl_check=1&token=x');
  expect(toBolt).toEqual([button, event, 'ssl_check=1']);
  expect(admits).toBe(0);
});

it('answers 413 to a body over Bolt’s limit, without handing Bolt a half-read stream', async () => {
  const huge = `${command}&pad=${'x'.repeat(4 * 1024 * 1024)}`;
  expect((await poster.post(huge)).status).toBe(413);
  expect(toBolt).toEqual([]);
});
