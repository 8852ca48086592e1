// The shared DurableStore for N replicas: values are JSON strings with native TTLs, ordered keys are sorted
// sets, and every conditional write is one Lua script (atomic inside Redis). The connection is redis-client's.

import { createHash } from 'node:crypto';
import type { Logger } from '../core/logger';
import type { DurableStore, StoreCheck, StoreWrite } from '../core/store';
import { openRedisConnection, type RedisClient } from '../cache/redis-client';

/**
 * ARGV[1] is a JSON list of checks then writes, each naming its key by index into KEYS (so the script
 * declares every key it touches). A check is [k] for "absent" or [k, text]; GET of a missing key is false.
 */
const COMMIT = `
local spec = cjson.decode(ARGV[1])
for _, c in ipairs(spec[1]) do
  local current = redis.call('GET', KEYS[c[1]])
  if c[2] == nil then
    if current then return 0 end
  elseif current ~= c[2] then return 0 end
end
for _, w in ipairs(spec[2]) do
  local op, key = w[1], KEYS[w[2]]
  if op == 's' then
    if w[4] then redis.call('SET', key, w[3], 'PX', w[4]) else redis.call('SET', key, w[3]) end
  elseif op == 'd' then redis.call('DEL', key)
  elseif op == 'z' then redis.call('ZADD', key, 'GT', w[4], w[3])
  elseif op == 'r' then redis.call('ZREM', key, w[3])
  elseif op == 't' then redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. w[3])
  end
end
return 1`;
const COMMIT_SHA = createHash('sha1').update(COMMIT).digest('hex');

const ZMSCORE_CHUNK = 1000;

type Encoded = (string | number)[];

/** Turns checks and writes into the script's keys and argument; a non-positive TTL becomes a delete. */
function encode(
  checks: readonly StoreCheck[],
  writes: readonly StoreWrite[],
  name: (key: string) => string,
): { keys: string[]; spec: string } {
  const keys: string[] = [];
  const index = (key: string): number => {
    const at = keys.indexOf(name(key));
    if (at >= 0) return at + 1;
    keys.push(name(key));
    return keys.length;
  };
  const encodedChecks: Encoded[] = checks.map((c) =>
    c.equals === undefined ? [index(c.key)] : [index(c.key), JSON.stringify(c.equals)],
  );
  const encodedWrites: Encoded[] = writes.map((w) => {
    switch (w.op) {
      case 'set':
        if (w.ttlMs === undefined) return ['s', index(w.key), JSON.stringify(w.value)];
        if (!(w.ttlMs > 0)) return ['d', index(w.key)];
        return ['s', index(w.key), JSON.stringify(w.value), String(Math.max(1, Math.round(w.ttlMs)))];
      case 'delete':
        return ['d', index(w.key)];
      case 'addOrdered':
        return ['z', index(w.key), w.member, String(w.score)];
      case 'removeOrdered':
        return ['r', index(w.key), w.member];
      case 'trimOrdered':
        return ['t', index(w.key), String(w.below)];
    }
  });
  return { keys, spec: JSON.stringify([encodedChecks, encodedWrites]) };
}

function parse<T>(text: string | null | undefined): T | undefined {
  return text === null || text === undefined ? undefined : (JSON.parse(text) as T);
}

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key; tests sharing one Redis database use a unique one each. */
  prefix?: string;
  logger: Logger;
  /** Longest the first connect is waited for; commands fail fast afterwards while Redis is away. */
  connectTimeoutMs?: number;
}

export async function openRedisStore(o: RedisStoreOptions): Promise<DurableStore> {
  const connection = await openRedisConnection({
    url: o.url,
    logger: o.logger,
    // The connection waits in real time (it is I/O), whatever clock drives the callers.
    connectTimeoutMs: o.connectTimeoutMs ?? 2000,
    purpose: 'store',
  });
  const client: RedisClient = connection.client;
  const prefix = o.prefix ?? '';
  const name = (key: string): string => prefix + key;

  const commit = async (checks: readonly StoreCheck[], writes: readonly StoreWrite[]): Promise<boolean> => {
    if (writes.length === 0 && checks.length === 0) return true;
    const { keys, spec } = encode(checks, writes, name);
    let done: unknown;
    try {
      done = await client.evalSha(COMMIT_SHA, { keys, arguments: [spec] });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      done = await client.eval(COMMIT, { keys, arguments: [spec] });
    }
    return Number(done) === 1;
  };

  return {
    kind: 'redis',
    get: async <T>(key: string) => parse<T>(await client.get(name(key))),
    getMany: async <T>(keys: readonly string[]) =>
      keys.length === 0 ? [] : (await client.mGet(keys.map(name))).map((text) => parse<T>(text)),
    set: async (key, value, ttlMs) => {
      if (ttlMs === undefined) await client.set(name(key), JSON.stringify(value));
      else if (!(ttlMs > 0)) await client.del(name(key));
      else
        await client.set(name(key), JSON.stringify(value), {
          expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
        });
    },
    delete: async (key) => void (await client.del(name(key))),
    claim: async (key, ttlMs) =>
      (await client.set(name(key), 'true', {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
      })) === 'OK',
    compareAndSet: (key, expected, next, ttlMs) =>
      commit(
        [{ key, equals: expected }],
        [
          next === undefined
            ? { op: 'delete', key }
            : { op: 'set', key, value: next, ...(ttlMs === undefined ? {} : { ttlMs }) },
        ],
      ),
    commit,
    scores: async (key, members) => {
      const found: (number | undefined)[] = [];
      for (let start = 0; start < members.length; start += ZMSCORE_CHUNK) {
        const chunk = members.slice(start, start + ZMSCORE_CHUNK);
        const scores = await client.zmScore(name(key), chunk);
        for (const score of scores) found.push(score === null ? undefined : score);
      }
      return found;
    },
    members: (key, min) => client.zRangeByScore(name(key), min === undefined ? '-inf' : min, '+inf'),
    close: () => connection.close(),
  };
}
