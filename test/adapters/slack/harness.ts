// The whole Slack path for tests: the real core graph against a fake NCBI, the Slack app mounted on a
// node:http server on 127.0.0.1, a fake Slack Web API + response_url capture. Nothing of ours is mocked.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApp, type SlackApp, type SlackAppDeps } from '../../../adapters/slack/app';
import { silentLogger, type Logger } from '../../../src/core/logger';
import { startFakeCtgov, type FakeCtgov } from '../../peers/ctgov';
import { startFakeEutils, type FakeEutils } from '../../peers/eutils';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../peers/slack';
import { startTestGraph, type TestGraph, type TestGraphOptions } from '../../support/graph';
import { BOT_TOKEN, SIGNING_SECRET, slackPoster, type SlackPoster } from './slack-requests';

export interface Harness {
  slack: FakeSlack;
  eutils: FakeEutils;
  ctgov: FakeCtgov;
  graph: TestGraph;
  app: SlackApp;
  /** The shared server's base URL (http://127.0.0.1:<port>). */
  url: string;
  poster: SlackPoster;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** SLACK_* and other variables on top of the defaults (token mode, our signing secret, the fake API). */
  env?: Record<string, string>;
  slack?: FakeSlackOptions;
  eutilsDelayMs?: number;
  logger?: Logger;
  app?: Partial<Omit<SlackAppDeps, 'config' | 'assistant'>>;
  /** More of the graph's outside services (e.g. a fake Europe PMC); NCBI and ClinicalTrials.gov are the harness's. */
  graph?: Omit<Partial<TestGraphOptions>, 'eutilsUrl' | 'ctgovUrl' | 'env'>;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const slack = await startFakeSlack({ tokens: [BOT_TOKEN], ...o.slack });
  const eutils = await startFakeEutils({ delayMs: o.eutilsDelayMs ?? 0 });
  const ctgov = await startFakeCtgov();
  const graph = await startTestGraph({
    ...o.graph,
    eutilsUrl: eutils.url,
    ctgovUrl: ctgov.url,
    env: {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      ...o.env,
    },
  });
  const logger = o.logger ?? silentLogger;
  const app = await createSlackApp({
    config: graph.config,
    assistant: graph.assistant,
    store: graph.store,
    shares: graph.watch.ledger,
    logger,
    // Every answer through response_url, so a test knows which path it drives; tests of answers in the ack
    // (and `paperbot serve`, with the production wait) set it.
    answerInAckMs: 0,
    ...o.app,
  });
  const server = http.createServer((req, res) => {
    if (!app.handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await app.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const poster = slackPoster(url);
  return {
    slack,
    eutils,
    ctgov,
    graph,
    app,
    url,
    poster,
    async close() {
      await poster.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.stop();
      await graph.close();
      await eutils.close();
      await ctgov.close();
      await slack.close();
    },
  };
}
