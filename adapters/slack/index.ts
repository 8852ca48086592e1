// The Slack adapter as a Mount on the shared server, for adapters/mounts.ts (like teamsMount).
// Wiring only: the app is app.ts; configuration decides HTTP or Socket Mode, token or OAuth.

import type { Config } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import type { Core } from '../../src/main';
import type { Intake } from '../intake';
import { createSlackApp, type SlackApp } from './app';

export { createSlackApp, EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, type SlackApp } from './app';

/** For adapters/mounts.ts: the Slack mount for this configuration (config.slack must be set). */
export function slackMount(config: Config, core: Core, logger: Logger, intake?: Intake): Promise<SlackApp> {
  if (!config.slack) throw new Error('slackMount needs config.slack (SLACK_BOT_TOKEN or SLACK_CLIENT_ID …)');
  return createSlackApp({
    config,
    assistant: core.assistant,
    store: core.store,
    shares: core.watch.ledger,
    logger,
    ...(intake ? { intake } : {}),
  });
}
