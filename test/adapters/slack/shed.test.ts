// refuseWhenBusy on a real node:http server, after the body is read as guard.ts reads it: which requests it
// refuses itself while the replica is full, and which it leaves to the door and Bolt (here a recorder).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPModuleFunctions } from '@slack/bolt';
import { silentLogger } from '../../../src/core/logger';
import { BUSY } from '../../../src/core/wording';
import { refuseWhenBusy } from '../../../adapters/slack/shed';
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
    void HTTPModuleFunctions.bufferIncomingMessage(req).then((buffered) => {
      const deps = {
        signingSecret: SIGNING_SECRET,
        logger: silentLogger,
        now: () => Date.now(),
        admit: () => {
          admits += 1;
          return admitted;
        },
      };
      if (refuseWhenBusy(deps, buffered, res)) return;
      toBolt.push(buffered.rawBody.toString('utf8'));
      res.writeHead(299).end();
    });
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

it('leaves an admitted command to the door and Bolt', async () => {
  admitted = true;
  expect((await poster.post(command)).status).toBe(299);
  expect(toBolt).toEqual([command]);
});

it('never refuses what it could not verify: the door gets it, and answers 401 itself', async () => {
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
  expect(toBolt).toEqual([button, event, 'ssl_check=1&token=x']);
  expect(admits).toBe(0);
});
