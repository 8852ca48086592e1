// The Slack adapter: a Bolt 5 app mounted on paperbot's one HTTP server at /slack/events (or Socket Mode),
// in one-workspace token mode or with the OAuth "Add to Slack" flow. Lookups and wording stay in the core.

import type http from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import { httpLimits, type Config, type SlackConfig } from '../../src/config';
import { systemClock, within, type Clock } from '../../src/core/clock';
import { PaperbotError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import type { Assistant } from '../../src/core/reply';
import type { ShareLedger } from '../../src/core/shares';
import type { DurableStore } from '../../src/core/store';
import { createIntake, type Intake } from '../intake';
import type { Mount } from '../platform';
import { tokenAuthorization, type TokenAuthorization } from './auth';
import type { Deliverer } from '../../src/core/deliverer';
import { boltLogger } from './bolt-logger';
import { createConversation, type Conversation } from './conversation';
import { createSlackDeliverer, HISTORY_SCOPES } from './deliverer';
import { slackFetch } from './fetch';
import { allowedHostsOnly, allowedSlackHosts } from './outbound';
import { ANSWER_IN_ACK_MS, registerActions, registerCommand } from './handlers';
import { guardSlackRequest, type SlackGuardDeps } from './guard';
import { HOME_EVENT, registerHome } from './home';
import { createInstallationStore, type ClosableInstallationStore } from './installation-store';
import { malformedBodyAs400, passDoor, type DoorDeps } from './door';
import { createAdmission, type Admission } from './admission';
import { createLoadGauge, type LoadGauge } from './load-gauge';
import { createReplyMemory } from './reply-memory';
import { openRequestClaims, type Claims, type ClosableClaims } from './request-claims';
import { refuseWhenBusy, type ShedDeps } from './shed';
import { registerUnfurls, UNFURL_EVENT } from './unfurl';

export const EVENTS_PATH = '/slack/events';
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';
/** Every Events API event the app listens to; manifest.yml must subscribe to exactly these. */
export const SLACK_EVENTS = [HOME_EVENT, UNFURL_EVENT];
/** What the app asks for at install; manifest.yml lists the same (a test keeps the two in step). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'links:read',
  'links:write',
  // `map` uploads its chart image (files.uploadV2) and shows it in the private answer.
  'files:write',
  ...HISTORY_SCOPES,
  // Reading-list exports (`list … as html`) arrive as a file in the channel (files.uploadV2).
  'files:write',
];

/**
 * About one second of answers at this machine's warm rate (~550/s): a backlog that a user still gets within
 * Slack's patience, and a bounded few tens of MB (each owed answer holds its request and closures).
 */
const DEFAULT_MAX_PENDING_REPLIES = 500;
/** Under a flood, one warning per interval with the count, not one a request. */
const RATE_REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface SlackAppDeps {
  config: Config;
  assistant: Assistant;
  logger: Logger;
  clock?: Clock;
  /** The process's durable store (the core's): OAuth installations are kept in it. */
  store?: DurableStore;
  /** Replaces the installations kept in `store`. */
  installationStore?: ClosableInstallationStore;
  /** The HTTP layer for the Web API and response_url; ./fetch.ts's slackFetch by default. */
  fetch?: webApi.WebClientOptions['fetch'];
  /** Longest one answer may take before the core's timeout answer is sent. */
  deadlineMs?: number;
  /** Answers owed at most before new requests are asked to retry (see Conversation.admit). */
  maxPendingReplies?: number;
  /** How long a /paper ack waits for an answer at hand to send as its own message (0: never). */
  answerInAckMs?: number;
  /** Says when the process is saturated, so acks go first (./load-gauge.ts's by default). */
  loadGauge?: LoadGauge;
  /** The rate of requests taken while the loop is saturated (./admission.ts's by default). */
  admission?: Admission;
  /** The replica's budget of unverified body bytes, shared with the other platforms (its own if absent). */
  intake?: Intake;
  /**
   * Where replicas remember the signed requests they took, to refuse replays (./request-claims.ts's Redis
   * or SQLite by default). The caller keeps ownership: stop() does not close it.
   */
  requestClaims?: Claims;
  /** Where shares are recorded for the watcher (the core's watch ledger); without it nothing is watched. */
  shares?: ShareLedger;
  /** How long Bolt waits for a listener's ack before answering 404 (Bolt's 3001 ms, inside Slack's 3 s). */
  unackedRequestMs?: number;
}

export interface SlackApp extends Mount {
  readonly mode: 'http' | 'socket';
  readonly auth: 'token' | 'oauth';
  /** Posts digests into channels on paperbot's own initiative; give it to the digest scheduler. */
  readonly deliverer: Deliverer;
  /** Takes POST /slack/events and, with OAuth, GET /slack/install and /slack/oauth_redirect. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function pathOf(req: http.IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const slack: SlackConfig | undefined = deps.config.slack;
  if (!slack) throw new PaperbotError('bad_input', 'the Slack adapter needs SLACK_* configuration');
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child({ adapter: 'slack' });
  const limits = httpLimits(deps.config);
  const boltLog = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: `${slack.apiUrl}/`,
    // 429s come back to us (errors.ts waits on our clock, bounded) instead of pausing every call.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    timeout: 10_000,
    // Web API calls and response_url answers alike; a payload's response_url elsewhere is refused (./outbound.ts).
    fetch: allowedHostsOnly(deps.fetch ?? slackFetch, allowedSlackHosts(slack.apiUrl), logger),
  };

  const oauthInstallations = (): ClosableInstallationStore => {
    if (deps.installationStore) return deps.installationStore;
    if (!deps.store)
      throw new PaperbotError('bad_input', 'Slack OAuth needs the durable store for installations');
    return createInstallationStore(deps.store, logger);
  };
  const installationStore = slack.oauth ? oauthInstallations() : undefined;
  const oauthOptions = slack.oauth
    ? {
        clientId: slack.oauth.clientId,
        clientSecret: slack.oauth.clientSecret,
        stateSecret: slack.oauth.stateSecret,
        installationStore,
        scopes: BOT_SCOPES,
        installerOptions: { installPath: INSTALL_PATH, redirectUriPath: REDIRECT_PATH, clientOptions },
      }
    : {};

  const mode = slack.appToken ? 'socket' : 'http';
  if (mode === 'http' && !slack.signingSecret)
    throw new PaperbotError('bad_input', 'the Slack HTTP endpoint needs SLACK_SIGNING_SECRET');
  const receiver =
    mode === 'socket'
      ? new SocketModeReceiver({
          appToken: String(slack.appToken),
          logger: boltLog,
          installerOptions: { clientOptions },
          ...oauthOptions,
        })
      : new HTTPReceiver({
          signingSecret: String(slack.signingSecret),
          endpoints: EVENTS_PATH,
          logger: boltLog,
          processBeforeResponse: false,
          // guard.ts reads the body within this cap first; Bolt's own 4 MB default would never be reached.
          bodyLimit: limits.slackBodyBytes,
          processEventErrorHandler: malformedBodyAs400(logger),
          ...(deps.unackedRequestMs !== undefined
            ? { unhandledRequestTimeoutMillis: deps.unackedRequestMs }
            : {}),
          ...oauthOptions,
        });

  // Token mode authorizes with our own memoized authorize (no auth.test on the ack path); OAuth mode
  // lets Bolt's installer read the installation store.
  const token: TokenAuthorization | undefined = slack.botToken
    ? tokenAuthorization(
        slack.botToken,
        new webApi.WebClient(undefined, { ...clientOptions, logger: boltLog }),
        logger,
      )
    : undefined;
  const app = new App({
    receiver,
    logger: boltLog,
    clientOptions,
    convoStore: false,
    ...(token ? { authorize: token.authorize } : {}),
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'slack listener failed');
  });

  const conversation: Conversation = createConversation({
    assistant: deps.assistant,
    clock,
    logger,
    memory: createReplyMemory({ clock }),
    deadlineMs: deps.deadlineMs ?? 25_000,
    maxRetryAfterSeconds: 30,
    maxPending: deps.maxPendingReplies ?? DEFAULT_MAX_PENDING_REPLIES,
    ...(deps.shares ? { shares: deps.shares } : {}),
  });
  registerCommand(app, conversation, {
    answerInAckMs: deps.answerInAckMs ?? ANSWER_IN_ACK_MS,
    load: deps.loadGauge ?? createLoadGauge(),
  });
  registerActions(app, conversation);
  registerUnfurls(app, conversation, { clock, logger });
  registerHome(app, conversation, { clock, logger });

  const installer = receiver.installer;
  const httpReceiver = receiver instanceof HTTPReceiver ? receiver : undefined;
  const shed: ShedDeps | undefined = httpReceiver && {
    signingSecret: String(slack.signingSecret),
    logger,
    now: () => clock.now(),
    admit: () => conversation.admit(),
  };
  // Only the HTTP endpoint has requests to refuse; Socket Mode's arrive over Slack's own authenticated socket.
  const ownClaims: ClosableClaims | undefined =
    httpReceiver && !deps.requestClaims && !deps.store
      ? await openRequestClaims({
          dataDir: deps.config.dataDir,
          ...(deps.config.redisUrl ? { redisUrl: deps.config.redisUrl } : {}),
          clock,
          logger,
        })
      : undefined;
  // The one durable store remembers them across replicas; a standalone app (tests) opens its own.
  const claims = httpReceiver ? (deps.requestClaims ?? deps.store ?? ownClaims) : undefined;
  const door: DoorDeps | undefined = claims && {
    signingSecret: String(slack.signingSecret),
    clock,
    claims,
    logger,
  };
  // Before Bolt: guard.ts refuses what cannot be genuine before reading the body and reads it within the caps;
  // past the backlog limit shed.ts refuses signed commands on those bytes at once; door.ts then checks the
  // timestamp, the signature and replays; then Bolt. Refusing before the replay claim keeps a refusal cheap
  // enough that under overload refusals do not eat the capacity that serves everyone else.
  // Past the rate admission.ts fits to a saturated loop, commands are refused whatever the backlog: the queue
  // a saturated loop builds is in its sockets, where no count of answers owed sees it.
  const admission = deps.admission ?? createAdmission();
  const rateRefusals = { count: 0, loggedAt: -Infinity };
  const afterGuard = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const withinRate = admission.take();
    if (shed && (!withinRate || conversation.full()) && refuseWhenBusy(shed, req, res, withinRate)) {
      if (!withinRate) noteRateRefusal();
      return;
    }
    if (door && !(await passDoor(door, req, res))) return;
    httpReceiver?.requestListener(req, res);
  };
  function noteRateRefusal(): void {
    rateRefusals.count += 1;
    const at = clock.now();
    if (at - rateRefusals.loggedAt < RATE_REFUSAL_LOG_INTERVAL_MS) return;
    logger.warn({ refused: rateRefusals.count }, 'slack: event loop saturated; asking users to retry');
    rateRefusals.loggedAt = at;
    rateRefusals.count = 0;
  }
  const guard: SlackGuardDeps | undefined = httpReceiver && {
    intake: deps.intake ?? createIntake(limits),
    maxBodyBytes: limits.slackBodyBytes,
    now: () => clock.now(),
    next(req, res) {
      afterGuard(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'slack request failed before Bolt');
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
  };
  return {
    name: 'slack',
    mode,
    auth: slack.oauth ? 'oauth' : 'token',
    deliverer: createSlackDeliverer({
      clientOptions: { ...clientOptions, logger: boltLog },
      ...(slack.botToken ? { botToken: slack.botToken } : {}),
      ...(installationStore ? { installationStore } : {}),
      logger,
    }),
    handle(req, res) {
      const path = pathOf(req);
      const method = (req.method ?? 'GET').toUpperCase();
      const oauthPath =
        installer !== undefined && method === 'GET' && (path === INSTALL_PATH || path === REDIRECT_PATH);
      if (receiver instanceof HTTPReceiver) {
        if (guard && path === EVENTS_PATH && method === 'POST') {
          guardSlackRequest(guard, req, res).catch((error: unknown) => {
            logger.error({ err: error }, 'slack request failed before Bolt');
            if (!res.headersSent) res.writeHead(500).end();
          });
          return true;
        }
        if (oauthPath) {
          receiver.requestListener(req, res);
          return true;
        }
        return false;
      }
      // Socket Mode has no events endpoint; its install pages still live on the shared server.
      if (!oauthPath || !installer) return false;
      const done =
        path === INSTALL_PATH
          ? installer.handleInstallPath(req, res, {}, { scopes: BOT_SCOPES })
          : installer.handleCallback(req, res);
      done.catch((error: unknown) => logger.error({ err: error }, 'slack install page failed'));
      return true;
    },
    async start() {
      if (token) {
        // Start-up does not wait long for Slack; the check finishes (and logs) in the background.
        await within(clock, token.identify(), 3000, undefined);
      }
      if (receiver instanceof SocketModeReceiver) {
        // receiver.start() would also open its own OAuth HTTP server on port 3000; the shared server has those pages.
        try {
          await receiver.client.start();
        } catch (error) {
          logger.error({ err: error }, 'slack socket mode could not connect (check SLACK_APP_TOKEN)');
          throw error;
        }
      }
      logger.info({ mode, auth: slack.oauth ? 'oauth' : 'token' }, 'slack adapter ready');
    },
    async stop() {
      if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
      await conversation.drain(5000);
      await installationStore?.close();
      await ownClaims?.close();
    },
  };
}
