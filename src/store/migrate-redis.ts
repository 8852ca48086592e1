// Reads what the earlier per-feature Redis stores wrote (paperbot:v1:digest:*, :slack:installation:*,
// :teams:*) into LegacyData. The old keys are left as they are, so a rollback still finds them.

import type { Logger } from '../core/logger';
import { openRedisConnection, type RedisClient } from '../cache/redis-client';
import { emptyLegacy, type LegacyData } from './migrate';
import { subscriptionRecord } from './migrate-record';

const DIGEST = 'paperbot:v1:digest:';
const INSTALLATION = 'paperbot:v1:slack:installation:';
const TEAMS_REF = 'paperbot:v1:teams:ref:';
const TEAMS_SENT = 'paperbot:v1:teams:sent:';

async function scan(client: RedisClient, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  return keys;
}

const num = (value: string | undefined): number | undefined =>
  value === undefined || value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);

async function readDigests(client: RedisClient, into: LegacyData): Promise<void> {
  for (const id of await client.sMembers(`${DIGEST}subs`)) {
    const hash = await client.hGetAll(`${DIGEST}sub:${id}`);
    if (!hash.definition) continue;
    into.subscriptions.push({
      id,
      record: subscriptionRecord({
        definition: hash.definition,
        paused: hash.paused,
        watermark: num(hash.watermark),
        lastSlot: num(hash.lastSlot),
        retryAt: num(hash.retryAt),
        openRun: num(hash.openRun),
        lastResult: hash.lastResult,
      }),
    });
    for (const { value, score } of await client.zRangeWithScores(`${DIGEST}ledger:${id}`, 0, -1))
      into.ledger.push({ id, pmid: value, sentAt: score });
  }
  for (const key of await scan(client, `${DIGEST}run:`)) {
    const [id, slot] = key.slice(`${DIGEST}run:`.length).split(':');
    const text = await client.get(key);
    if (id && slot && text) into.runs.push({ id, slot: Number(slot), record: JSON.parse(text) as unknown });
  }
}

async function readAdapters(client: RedisClient, into: LegacyData): Promise<void> {
  for (const key of await scan(client, INSTALLATION)) {
    const text = await client.get(key);
    if (text)
      into.installations.push({
        key: key.slice(INSTALLATION.length),
        installation: JSON.parse(text) as unknown,
      });
  }
  for (const key of await scan(client, TEAMS_REF)) {
    const text = await client.get(key);
    if (text) into.references.push({ key: key.slice(TEAMS_REF.length), value: JSON.parse(text) as unknown });
  }
  for (const key of await scan(client, TEAMS_SENT)) {
    for (const { value, score } of await client.zRangeWithScores(key, 0, -1))
      into.sent.push({ key: key.slice(TEAMS_SENT.length), idempotencyKey: value, at: score });
  }
}

/** Everything the old Redis stores hold; a short-lived connection of its own, closed before returning. */
export async function readLegacyRedis(url: string, logger: Logger): Promise<LegacyData> {
  const connection = await openRedisConnection({ url, logger, connectTimeoutMs: 2000, purpose: 'migration' });
  try {
    const data = emptyLegacy();
    await readDigests(connection.client, data);
    await readAdapters(connection.client, data);
    return data;
  } finally {
    await connection.close();
  }
}
