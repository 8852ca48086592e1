// The Lua scripts of the Redis digest store: each conditional write (claim-checked, existence-checked) runs
// atomically inside Redis. Calling them is ./store-redis.ts's; what they write is ./store-effects.ts's.

import { createHash } from 'node:crypto';
import type { RedisClient } from '../cache/redis-client';

/** Deletes the claim only if it is still ours. */
export const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** KEYS: claim, subscription, run. ARGV: token, record, keep ms, slot. */
export const BEGIN = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
redis.call('HSET', KEYS[2], 'openRun', ARGV[4])
return 1`;

/**
 * KEYS: claim, subscription, run, ledger. ARGV: token, record, keep ms, watermark, lastSlot, retryAt,
 * lastResult, pause, sentAt, pruneBefore, slot, keepOpen, pmid… ('' = leave as is / clear retryAt / no ledger).
 */
export const FINISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
local function raise(field, value)
  if value == '' then return end
  local current = tonumber(redis.call('HGET', KEYS[2], field) or '')
  if current == nil or current < tonumber(value) then redis.call('HSET', KEYS[2], field, value) end
end
raise('watermark', ARGV[4])
raise('lastSlot', ARGV[5])
if ARGV[6] == '' then redis.call('HDEL', KEYS[2], 'retryAt') else redis.call('HSET', KEYS[2], 'retryAt', ARGV[6]) end
redis.call('HSET', KEYS[2], 'lastResult', ARGV[7])
if ARGV[8] ~= '' then redis.call('HSET', KEYS[2], 'paused', ARGV[8]) end
if ARGV[12] == '0' and redis.call('HGET', KEYS[2], 'openRun') == ARGV[11] then redis.call('HDEL', KEYS[2], 'openRun') end
if ARGV[9] ~= '' then
  for i = 13, #ARGV do redis.call('ZADD', KEYS[4], 'GT', ARGV[9], ARGV[i]) end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[10])
end
return 1`;

/** KEYS: subscription. ARGV: pause JSON, or '' to resume; on resume, a slot to raise lastSlot to (or ''). */
export const SET_PAUSED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[1], 'retryAt')
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'paused', ARGV[1]) return 1 end
redis.call('HDEL', KEYS[1], 'paused')
if ARGV[2] ~= '' then
  local current = tonumber(redis.call('HGET', KEYS[1], 'lastSlot') or '')
  if current == nil or current < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 'lastSlot', ARGV[2]) end
end
return 1`;

export type Script = (keys: string[], args: string[]) => Promise<unknown>;

export function script(client: RedisClient, source: string): Script {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (keys, args) => {
    try {
      return await client.evalSha(sha, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, { keys, arguments: args });
    }
  };
}
