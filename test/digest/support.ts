// Test-side implementations of the ports digests use: a wall clock tests set by hand, a Deliverer that
// records posts in memory (a port implementation, not a mock), a Logger that keeps its lines, the real PubMed
// service over the fake E-utilities, and both real digest stores (a temp SQLite file, the local Redis).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { createCacheStore } from '../../src/cache/store';
import { createSingleFlight } from '../../src/cache/singleflight';
import { systemClock, type Clock } from '../../src/core/clock';
import type {
  DeliveryMessage,
  DeliveryResult,
  Deliverer,
  DeliveryTarget,
  NoticeRecipient,
} from '../../src/core/deliverer';
import { silentLogger, type Logger } from '../../src/core/logger';
import type { Platform, Reply } from '../../src/core/reply';
import { openDigestStore, type DigestStore } from '../../src/digest/store';
import type { SubscriptionDefinition } from '../../src/digest/types';
import { createEutilsClient } from '../../src/pubmed/eutils';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createPubmedService, type PubmedService } from '../../src/pubmed/service';
import { testRedisUrl } from '../support/redis';

export const REDIS_URL = testRedisUrl();

export interface WallClock extends Clock {
  set(ms: number): void;
  /** Every sleep so far, in ms: what the code under test waited for. */
  slept: number[];
}

/**
 * "Now" is what the test sets; sleep() moves it forward by the wait and resolves on the next turn of the
 * event loop, so waits take no real time but still happen in order.
 */
export function wallClock(start: number | string): WallClock {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  const slept: number[] = [];
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    slept,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        slept.push(ms);
        now += Math.max(0, ms);
        setImmediate(() => (signal?.aborted ? reject(signal.reason) : resolve()));
      }),
  };
}

export interface Post {
  target: DeliveryTarget;
  key: string;
  message: DeliveryMessage;
  at: number;
  messageId: string;
}

export interface Notice {
  user: NoticeRecipient;
  message: Reply;
  about?: DeliveryTarget;
}

export interface RecordingDeliverer extends Deliverer {
  posts: Post[];
  /** Private notices sent (notifyUser). */
  notices: Notice[];
  /** Every deliver() call, posted or refused, with the clock time it was made. */
  attempts: { key: string; at: number; result: DeliveryResult }[];
  /** Answers for the next deliver() calls (instead of posting), in order; then normal service. */
  refuse(...results: DeliveryResult[]): void;
  postsTo(channel: string): Post[];
}

export function recordingDeliverer(clock: Clock, platform: Platform = 'slack'): RecordingDeliverer {
  const posts: Post[] = [];
  const notices: Notice[] = [];
  const attempts: RecordingDeliverer['attempts'] = [];
  const queue: DeliveryResult[] = [];
  return {
    platform,
    posts,
    notices,
    attempts,
    refuse: (...results) => queue.push(...results),
    postsTo: (channel) => posts.filter((p) => p.target.channel === channel),
    async deliver(target, message, { idempotencyKey }) {
      const refusal = queue.shift();
      if (refusal) {
        attempts.push({ key: idempotencyKey, at: clock.now(), result: refusal });
        return refusal;
      }
      const messageId = `m${posts.length + 1}`;
      posts.push({ target, key: idempotencyKey, message, at: clock.now(), messageId });
      const result: DeliveryResult = { ok: true, messageId };
      attempts.push({ key: idempotencyKey, at: clock.now(), result });
      return result;
    },
    async recentKeys(target, sinceMs) {
      return posts.filter((p) => p.target.channel === target.channel && p.at >= sinceMs).map((p) => p.key);
    },
    async notifyUser(user, message, options) {
      notices.push({ user, message, ...(options?.about ? { about: options.about } : {}) });
      return { ok: true, messageId: `n${notices.length}` };
    },
  };
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: object;
  msg: string;
}

/** A Logger that keeps every line (children write to the same list): what an operator would read. */
export function recordingLogger(): Logger & { lines: LogEntry[]; warnings(): string[] } {
  const lines: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (fields: object, msg?: string): void =>
      void lines.push({ level, fields, msg: msg ?? '' });
  const logger = {
    lines,
    warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.msg),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (): Logger => logger,
  };
  return logger;
}

export interface TestPubmed {
  service: PubmedService;
  close(): Promise<void>;
}

/** The real PubMed service (client, budget, cache) against the fake E-utilities, on the system clock. */
export async function startPubmed(eutilsUrl: string, perSecond = 10): Promise<TestPubmed> {
  const cache = await createCacheStore({ kind: 'memory' });
  const budget = createMemoryRateBudget({ perSecond, clock: systemClock });
  const service = createPubmedService({
    client: createEutilsClient({
      baseUrl: eutilsUrl,
      tool: 'paperbot-tests',
      email: 'paperbot-tests@example.org',
      attemptTimeoutMs: 5000,
    }),
    budget,
    cache: { store: cache, clock: systemClock, flight: createSingleFlight() },
    clock: systemClock,
    random: () => 0,
  });
  return {
    service,
    async close() {
      await budget.close();
      await cache.close();
    },
  };
}

export interface TestStore {
  store: DigestStore;
  /** Another store over the same data (a second process, a second replica). */
  twin(): Promise<DigestStore>;
  close(): Promise<void>;
}

export async function sqliteStore(clock: Clock): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-digest-'));
  const file = path.join(dir, 'digests.sqlite');
  const deps = { clock, logger: silentLogger };
  const opened: DigestStore[] = [await openDigestStore({ kind: 'sqlite', path: file }, deps)];
  return {
    store: opened[0] as DigestStore,
    async twin() {
      const store = await openDigestStore({ kind: 'sqlite', path: file }, deps);
      opened.push(store);
      return store;
    },
    async close() {
      for (const s of opened) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function redisStore(clock: Clock): Promise<TestStore & { prefix: string }> {
  const prefix = `paperbot-test:${randomUUID()}:digest:`;
  const deps = { clock, logger: silentLogger };
  const opened: DigestStore[] = [await openDigestStore({ kind: 'redis', url: REDIS_URL, prefix }, deps)];
  return {
    prefix,
    store: opened[0] as DigestStore,
    async twin() {
      const store = await openDigestStore({ kind: 'redis', url: REDIS_URL, prefix }, deps);
      opened.push(store);
      return store;
    },
    async close() {
      for (const s of opened) await s.close();
      await deleteRedisPrefix(prefix);
    },
  };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

export const SLACK_CHANNEL = { platform: 'slack' as const, team: 'T0TEST', channel: 'C0TUMORBOARD' };

/** The subscription most digest tests use: "phosphorylation cancer", daily at 07:30 in New York. */
export function subscriptionDefinition(over: Partial<SubscriptionDefinition> = {}): SubscriptionDefinition {
  return {
    place: SLACK_CHANNEL,
    createdBy: { id: 'U1' },
    // The evening before the first slot used in most tests (07:30 EDT on 19 Apr 2017).
    createdAt: Date.parse('2017-04-18T22:00:00Z'),
    query: {
      text: 'phosphorylation cancer',
      terms: 'phosphorylation cancer',
      types: [],
      term: 'phosphorylation cancer',
    },
    schedule: { cadence: 'daily', time: '07:30', timeZone: 'America/New_York' },
    notifyEmpty: false,
    ...over,
  };
}
