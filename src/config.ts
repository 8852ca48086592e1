// The one reader of process.env: a zod schema over the environment, turned into a typed Config.
// A bad value stops start-up with one line naming the variable and what is wrong (ConfigError).

import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const NCBI_EUTILS_DEFAULT = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';
const CTGOV_API_DEFAULT = 'https://clinicaltrials.gov/api/v2';

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const httpUrl = z
  .string()
  .url('must be an http(s) URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

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
    z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10, 'NCBI allows at most 10').optional(),
  ),
  CTGOV_API_URL: z.preprocess(emptyToUndefined, httpUrl.default(CTGOV_API_DEFAULT)),
  PAPERBOT_DATA_DIR: optionalString,
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((u) => /^rediss?:\/\//i.test(u), 'must start with redis:// or rediss://')
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  NO_COLOR: optionalString,
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
});

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
  dataDir: string;
  redisUrl?: string;
  /** Absent unless LOG_LEVEL is set: the server then logs at info, the CLI only errors. */
  logLevel?: LogLevel;
  port: number;
  /** NO_COLOR (https://no-color.org) is set: the CLI prints no ANSI colours. */
  noColor: boolean;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
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
  return {
    ncbi: {
      baseUrl: e.NCBI_EUTILS_URL,
      ...(e.NCBI_API_KEY ? { apiKey: e.NCBI_API_KEY } : {}),
      ...(e.NCBI_EMAIL ? { email: e.NCBI_EMAIL } : {}),
      tool: e.NCBI_TOOL,
      requestsPerSecond: e.NCBI_REQUESTS_PER_SECOND ?? ceiling,
    },
    clinicalTrials: { baseUrl: e.CTGOV_API_URL },
    dataDir: e.PAPERBOT_DATA_DIR ? path.resolve(cwd, e.PAPERBOT_DATA_DIR) : path.join(os.homedir(), '.paperbot'),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    ...(e.LOG_LEVEL ? { logLevel: e.LOG_LEVEL } : {}),
    port: e.PORT,
    noColor: e.NO_COLOR !== undefined,
  };
}
