// The one reader of process.env: a zod schema over the environment, turned into a typed Config.
// A bad value stops start-up with one line naming the variable and what is wrong (ConfigError).

import os from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { parseBoardSite, type BoardSite } from './core/board-site';

const NCBI_EUTILS_DEFAULT = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';
const CTGOV_API_DEFAULT = 'https://clinicaltrials.gov/api/v2';
const SLACK_API_DEFAULT = 'https://slack.com/api';
const EUROPEPMC_API_DEFAULT = 'https://www.ebi.ac.uk/europepmc/webservices/rest';
const UNPAYWALL_API_DEFAULT = 'https://api.unpaywall.org/v2';
const CROSSREF_API_DEFAULT = 'https://api.crossref.org';
/** How long an answer waits for signals at most (the reply's own deadline may end it sooner). */
export const SIGNALS_DEADLINE_DEFAULT_MS = 600;

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const httpUrl = z
  .string()
  .url('must be an http(s) URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

/** A whole number within bounds that keep the server usable (a 0 ms timeout would refuse everything). */
const positiveInt = (min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .optional(),
  );

/** An optional service's base URL, or `off` (any case) to leave that service out. */
const urlOrOff = (fallback: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'off' ? 'off' : emptyToUndefined(v)),
    z.union([z.literal('off'), httpUrl], { error: 'must be an http(s) URL or off' }).default(fallback),
  );

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const envSchema = z.object({
  NCBI_EUTILS_URL: z.preprocess(emptyToUndefined, httpUrl.default(NCBI_EUTILS_DEFAULT)),
  NCBI_API_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9]+$/, 'must be the alphanumeric key from your NCBI account settings')
      .optional(),
  ),
  NCBI_EMAIL: z.preprocess(emptyToUndefined, z.string().email('must be an e-mail address').optional()),
  NCBI_TOOL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'must be one word without spaces (NCBI rejects spaces in tool)')
      .default('paperbot'),
  ),
  NCBI_REQUESTS_PER_SECOND: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10, 'NCBI allows at most 10')
      .optional(),
  ),
  CTGOV_API_URL: z.preprocess(emptyToUndefined, httpUrl.default(CTGOV_API_DEFAULT)),
  EUROPEPMC_API_URL: urlOrOff(EUROPEPMC_API_DEFAULT),
  UNPAYWALL_API_URL: urlOrOff(UNPAYWALL_API_DEFAULT),
  CROSSREF_API_URL: urlOrOff(CROSSREF_API_DEFAULT),
  UNPAYWALL_EMAIL: z.preprocess(emptyToUndefined, z.string().email('must be an e-mail address').optional()),
  PAPERBOT_SIGNALS_DEADLINE_MS: positiveInt(50, 5000),
  PAPERBOT_DATA_DIR: optionalString,
  PAPERBOT_DEFAULT_SITE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((text, ctx) => {
        const site = parseBoardSite(text);
        if (typeof site !== 'string') return site;
        ctx.addIssue({ code: 'custom', message: `must be "<lat>,<lon> <name>": ${site}` });
        return z.NEVER;
      })
      .optional(),
  ),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((u) => /^rediss?:\/\//i.test(u), 'must start with redis:// or rediss://')
      .optional(),
  ),
  PAPERBOT_REPLICAS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(1),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  NO_COLOR: optionalString,
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  SLACK_SIGNING_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/, "must be the app's Signing Secret (Basic Information → App Credentials)")
      .optional(),
  ),
  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token starting with xoxb-')
      .optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/, 'must be an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_API_URL: z.preprocess(emptyToUndefined, httpUrl.default(SLACK_API_DEFAULT)),
  SLACK_CLIENT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+\.\d+$/, 'must be the Client ID from Basic Information (digits.digits)')
      .optional(),
  ),
  SLACK_CLIENT_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/, 'must be the Client Secret from Basic Information')
      .optional(),
  ),
  SLACK_STATE_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(16, 'must be at least 16 characters (any random string you keep secret)').optional(),
  ),
  TEAMS_APP_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(GUID, "must be the bot's Microsoft App ID (a GUID, from the Azure Bot resource → Configuration)")
      .optional(),
  ),
  TEAMS_APP_PASSWORD: optionalString,
  TEAMS_TENANT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(GUID, 'must be the Directory (tenant) ID of the bot app registration (a GUID)')
      .optional(),
  ),
  PAPERBOT_HEADERS_TIMEOUT_MS: positiveInt(1000, 60_000),
  PAPERBOT_REQUEST_TIMEOUT_MS: positiveInt(1000, 120_000),
  PAPERBOT_BODY_IDLE_MS: positiveInt(100, 60_000),
  PAPERBOT_UNVERIFIED_BYTES: positiveInt(64 * 1024, 1024 * 1024 * 1024),
  SLACK_MAX_BODY_BYTES: positiveInt(4 * 1024, 4 * 1024 * 1024),
  TEAMS_MAX_BODY_BYTES: positiveInt(4 * 1024, 4 * 1024 * 1024),
  PAPERBOT_PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        publicUrlAllowed,
        'must be an https:// URL (or http://localhost for development), without query or fragment',
      )
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  WATCH_RETENTION: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{1,4}\s*[dwy]?$/i, 'must be a number of days, or with a unit: 730d, 104w, 2y')
      .optional(),
  ),
  WATCH_SCHEDULE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        (v) => v.trim().toLowerCase() === 'off' || validCron(v),
        'must be a cron expression (UTC), like "0 6 * * *", or off',
      )
      .optional(),
  ),
  PAPERBOT_DEV: z.preprocess(
    emptyToUndefined,
    z
      .enum(['1', '0', 'true', 'false'], { error: 'must be 1 (on) or 0 (off)' })
      .transform((v) => v === '1' || v === 'true')
      .optional(),
  ),
});

type Env = z.infer<typeof envSchema>;

/**
 * Where people reach this server: download links carry it, so plain http is allowed only on this machine
 * (an export link over http on the network would hand a board's reading list to whoever listens).
 */
function publicUrlAllowed(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function validCron(pattern: string): boolean {
  try {
    return new Cron(pattern.trim(), { timezone: 'UTC' }).nextRun() !== null;
  } catch {
    return false;
  }
}

const DAY_MS = 24 * 3600_000;
/** Two years: about how long a tumor board's shared evidence is still looked back at. */
const DEFAULT_WATCH_RETENTION_DAYS = 730;
const UNIT_DAYS: Record<string, number> = { d: 1, w: 7, y: 365 };

function retentionMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WATCH_RETENTION_DAYS * DAY_MS;
  const m = /^(\d+)\s*([dwy]?)$/i.exec(value.trim());
  const days =
    Number(m?.[1] ?? DEFAULT_WATCH_RETENTION_DAYS) * (UNIT_DAYS[(m?.[2] ?? 'd').toLowerCase() || 'd'] ?? 1);
  if (days < 1) throw new ConfigError('WATCH_RETENTION', 'must be at least one day');
  return days * DAY_MS;
}

/** The article signal services; an absent one is off (its URL set to `off`, or Unpaywall without an e-mail). */
export interface SignalsConfig {
  europepmc?: { baseUrl: string };
  unpaywall?: { baseUrl: string; email: string };
  crossref?: { baseUrl: string; mailto?: string };
  /** Why Unpaywall is off although its URL is set: it requires a contact e-mail (said once at start-up). */
  unpaywallOff?: 'no-email';
  deadlineMs: number;
}

function signalsConfig(e: Env): SignalsConfig {
  const email = e.UNPAYWALL_EMAIL ?? e.NCBI_EMAIL;
  const unpaywallUrl = e.UNPAYWALL_API_URL === 'off' ? undefined : e.UNPAYWALL_API_URL;
  return {
    ...(e.EUROPEPMC_API_URL !== 'off' ? { europepmc: { baseUrl: e.EUROPEPMC_API_URL } } : {}),
    ...(unpaywallUrl && email ? { unpaywall: { baseUrl: unpaywallUrl, email } } : {}),
    ...(unpaywallUrl && !email ? { unpaywallOff: 'no-email' as const } : {}),
    ...(e.CROSSREF_API_URL !== 'off'
      ? { crossref: { baseUrl: e.CROSSREF_API_URL, ...(email ? { mailto: email } : {}) } }
      : {}),
    deadlineMs: e.PAPERBOT_SIGNALS_DEADLINE_MS ?? SIGNALS_DEADLINE_DEFAULT_MS,
  };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  ncbi: {
    baseUrl: string;
    apiKey?: string;
    email?: string;
    tool: string;
    /** Request starts per rolling second, shared by every replica: 3 without a key, 10 with one. */
    requestsPerSecond: number;
  };
  clinicalTrials: { baseUrl: string };
  signals: SignalsConfig;
  /** PAPERBOT_DEFAULT_SITE: the board site of every channel that has not set its own (`site set`). */
  defaultSite?: BoardSite;
  dataDir: string;
  redisUrl?: string;
  /**
   * Replicas sharing REDIS_URL (PAPERBOT_REPLICAS, default 1): while Redis is unreachable each keeps to its
   * share of every rate budget (budget ÷ replicas) so that together they stay within the service's limit.
   */
  replicas: number;
  /** Absent unless LOG_LEVEL is set: the server then logs at info, the CLI only errors. */
  logLevel?: LogLevel;
  port: number;
  /**
   * The interface the server binds: 127.0.0.1 with PAPERBOT_DEV=1 (an unauthenticated endpoint must not be
   * reachable from the network), every interface otherwise (undefined).
   */
  listenHost?: string;
  /** NO_COLOR (https://no-color.org) is set: the CLI prints no ANSI colours. */
  noColor: boolean;
  /** Present when any Slack credential is set; the Slack adapter is mounted only then. */
  slack?: SlackConfig;
  /** Present when TEAMS_APP_ID is set, or PAPERBOT_DEV=1 (then unauthenticated); Teams is mounted only then. */
  teams?: TeamsConfig;
  /** What one request may cost before it is verified; absent fields take DEFAULT_HTTP_LIMITS (httpLimits()). */
  limits?: Partial<HttpLimits>;
  /**
   * PAPERBOT_PUBLIC_URL, no trailing slash: where people reach `paperbot serve` from their browser. Teams
   * reading-list exports are download links under it; without it Teams cannot export.
   */
  publicUrl?: string;
  /** Absent in hand-built configs (tests): the defaults then apply. */
  watch?: {
    /** Shares older than this are no longer re-checked (WATCH_RETENTION, two years by default). */
    retentionMs: number;
    /** When `serve` runs the watcher (WATCH_SCHEDULE, cron in UTC); absent with WATCH_SCHEDULE=off. */
    schedule?: string;
  };
}

/** docs/deploy.md "Limits" explains each figure; the defaults are argued where they are enforced. */
export interface HttpLimits {
  /** node:http headersTimeout: the whole header block must arrive within this. */
  headersTimeoutMs: number;
  /** node:http requestTimeout: headers and body must arrive within this. */
  requestTimeoutMs: number;
  /** Longest pause between two chunks of a body before the request is dropped. */
  bodyIdleMs: number;
  /** Bytes of not-yet-verified bodies one replica buffers at once; beyond it, 503 with Retry-After. */
  unverifiedBytes: number;
  /** Largest body POST /slack/events takes (413 above). */
  slackBodyBytes: number;
  /** Largest body POST /api/messages takes (413 above). */
  teamsBodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  bodyIdleMs: 2000,
  unverifiedBytes: 8 * 1024 * 1024,
  slackBodyBytes: 512 * 1024,
  teamsBodyBytes: 512 * 1024,
});

/** The configured limits with the defaults filled in. */
export function httpLimits(config: Pick<Config, 'limits'>): HttpLimits {
  return { ...DEFAULT_HTTP_LIMITS, ...config.limits };
}

export interface SlackConfig {
  /** Verifies every request on /slack/events; required unless Socket Mode is used. */
  signingSecret?: string;
  /** One-workspace token mode (xoxb-); absent in OAuth mode, where each install has its own. */
  botToken?: string;
  /** Socket Mode (xapp-): Slack is reached over a WebSocket instead of POSTing to a public URL. */
  appToken?: string;
  /** Web API base, without the trailing slash ("https://slack.com/api"). */
  apiUrl: string;
  /** "Add to Slack" installs for many workspaces; installations live in durable state. */
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
}

/**
 * Microsoft Teams (Bot Framework / Agents SDK). `authenticated`: every request on /api/messages must carry a
 * valid Bot Framework token for `appId`, and replies use the app's client secret. `anonymous`: PAPERBOT_DEV=1
 * without credentials, for the Bot Framework Emulator on a developer's machine only.
 */
export type TeamsConfig =
  { mode: 'authenticated'; appId: string; appPassword: string; tenantId?: string } | { mode: 'anonymous' };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment (process.env by default); throws ConfigError on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid value');
  }
  const e = parsed.data;
  const ceiling = e.NCBI_API_KEY ? 10 : 3;
  if (e.NCBI_REQUESTS_PER_SECOND !== undefined && e.NCBI_REQUESTS_PER_SECOND > ceiling) {
    throw new ConfigError(
      'NCBI_REQUESTS_PER_SECOND',
      `must be at most ${ceiling} ${e.NCBI_API_KEY ? 'with an API key' : 'without NCBI_API_KEY'}`,
    );
  }
  const slack = slackConfig(e);
  const teams = teamsConfig(e);
  return {
    ncbi: {
      baseUrl: e.NCBI_EUTILS_URL,
      ...(e.NCBI_API_KEY ? { apiKey: e.NCBI_API_KEY } : {}),
      ...(e.NCBI_EMAIL ? { email: e.NCBI_EMAIL } : {}),
      tool: e.NCBI_TOOL,
      requestsPerSecond: e.NCBI_REQUESTS_PER_SECOND ?? ceiling,
    },
    clinicalTrials: { baseUrl: e.CTGOV_API_URL },
    signals: signalsConfig(e),
    ...(e.PAPERBOT_DEFAULT_SITE ? { defaultSite: e.PAPERBOT_DEFAULT_SITE } : {}),
    dataDir: e.PAPERBOT_DATA_DIR
      ? path.resolve(cwd, e.PAPERBOT_DATA_DIR)
      : path.join(os.homedir(), '.paperbot'),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    replicas: e.PAPERBOT_REPLICAS,
    ...(e.LOG_LEVEL ? { logLevel: e.LOG_LEVEL } : {}),
    port: e.PORT,
    ...(e.PAPERBOT_DEV ? { listenHost: '127.0.0.1' } : {}),
    noColor: e.NO_COLOR !== undefined,
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    limits: limitsFrom(e),
    ...(e.PAPERBOT_PUBLIC_URL ? { publicUrl: e.PAPERBOT_PUBLIC_URL } : {}),
    watch: {
      retentionMs: retentionMs(e.WATCH_RETENTION),
      ...(e.WATCH_SCHEDULE?.trim().toLowerCase() === 'off'
        ? {}
        : { schedule: e.WATCH_SCHEDULE?.trim() ?? DEFAULT_WATCH_SCHEDULE }),
    },
  };
}

/** Daily at 06:00 UTC: before most tumor boards meet, in most time zones. */
export const DEFAULT_WATCH_SCHEDULE = '0 6 * * *';

function limitsFrom(e: Env): Partial<HttpLimits> {
  const limits: Partial<HttpLimits> = {};
  if (e.PAPERBOT_HEADERS_TIMEOUT_MS !== undefined) limits.headersTimeoutMs = e.PAPERBOT_HEADERS_TIMEOUT_MS;
  if (e.PAPERBOT_REQUEST_TIMEOUT_MS !== undefined) limits.requestTimeoutMs = e.PAPERBOT_REQUEST_TIMEOUT_MS;
  if (e.PAPERBOT_BODY_IDLE_MS !== undefined) limits.bodyIdleMs = e.PAPERBOT_BODY_IDLE_MS;
  if (e.PAPERBOT_UNVERIFIED_BYTES !== undefined) limits.unverifiedBytes = e.PAPERBOT_UNVERIFIED_BYTES;
  if (e.SLACK_MAX_BODY_BYTES !== undefined) limits.slackBodyBytes = e.SLACK_MAX_BODY_BYTES;
  if (e.TEAMS_MAX_BODY_BYTES !== undefined) limits.teamsBodyBytes = e.TEAMS_MAX_BODY_BYTES;
  const { headersTimeoutMs, requestTimeoutMs } = { ...DEFAULT_HTTP_LIMITS, ...limits };
  // node:http refuses to start when the whole request is allowed less time than its headers.
  if (requestTimeoutMs < headersTimeoutMs)
    throw new ConfigError(
      'PAPERBOT_REQUEST_TIMEOUT_MS',
      `must be at least PAPERBOT_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`,
    );
  return limits;
}

/** The Slack section, checked as a whole: which variables belong together and which exclude each other. */
function slackConfig(e: Env): SlackConfig | undefined {
  const oauthParts = {
    SLACK_CLIENT_ID: e.SLACK_CLIENT_ID,
    SLACK_CLIENT_SECRET: e.SLACK_CLIENT_SECRET,
    SLACK_STATE_SECRET: e.SLACK_STATE_SECRET,
  };
  const oauthSet = Object.values(oauthParts).some((v) => v !== undefined);
  if (!oauthSet && !e.SLACK_SIGNING_SECRET && !e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN) return undefined;
  if (oauthSet) {
    for (const [name, value] of Object.entries(oauthParts))
      if (value === undefined)
        throw new ConfigError(
          name,
          'must be set together with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET',
        );
    if (e.SLACK_BOT_TOKEN)
      throw new ConfigError(
        'SLACK_BOT_TOKEN',
        'must not be set with SLACK_CLIENT_ID: each OAuth install brings its own token',
      );
  } else if (!e.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN',
      'is required (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth installs)',
    );
  }
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET)
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is required to verify requests on /slack/events (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  return {
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    ...(e.SLACK_BOT_TOKEN ? { botToken: e.SLACK_BOT_TOKEN } : {}),
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    apiUrl: e.SLACK_API_URL,
    ...(oauthSet
      ? {
          oauth: {
            clientId: String(e.SLACK_CLIENT_ID),
            clientSecret: String(e.SLACK_CLIENT_SECRET),
            stateSecret: String(e.SLACK_STATE_SECRET),
          },
        }
      : {}),
  };
}

/** The Teams section: an app id needs its secret; without an app id only PAPERBOT_DEV=1 mounts Teams. */
function teamsConfig(e: Env): TeamsConfig | undefined {
  if (!e.TEAMS_APP_ID) {
    if (e.TEAMS_APP_PASSWORD)
      throw new ConfigError(
        'TEAMS_APP_ID',
        'is required with TEAMS_APP_PASSWORD (the Microsoft App ID of the bot)',
      );
    if (e.TEAMS_TENANT_ID)
      throw new ConfigError(
        'TEAMS_APP_ID',
        'is required with TEAMS_TENANT_ID (the Microsoft App ID of the bot)',
      );
    return e.PAPERBOT_DEV ? { mode: 'anonymous' } : undefined;
  }
  if (!e.TEAMS_APP_PASSWORD)
    throw new ConfigError(
      'TEAMS_APP_PASSWORD',
      "is required with TEAMS_APP_ID (a client secret of the bot's app registration, Certificates & secrets)",
    );
  return {
    mode: 'authenticated',
    appId: e.TEAMS_APP_ID,
    appPassword: e.TEAMS_APP_PASSWORD,
    ...(e.TEAMS_TENANT_ID ? { tenantId: e.TEAMS_TENANT_ID } : {}),
  };
}
