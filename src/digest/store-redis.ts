// The shared digest store for scaled-out deployments: Redis hashes, sets and sorted sets under one prefix;
// claims are SET NX PX with a token; every conditional write is one Lua script, so it is atomic.

import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { openRedisConnection } from '../cache/redis-client';
import type { Claim, DigestStore } from './store';
import { RUN_KEEP_MS, runEffects, storeFailure } from './store-effects';
import { BEGIN, EXTEND, FINISH, RELEASE, script, SET_PAUSED } from './store-redis-scripts';
import type {
  ChannelRef,
  PauseInfo,
  RunRecord,
  Subscription,
  SubscriptionDefinition,
  SubscriptionState,
} from './types';

const ZMSCORE_CHUNK = 1000;

const num = (value: string | undefined): number | undefined =>
  value === undefined || value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);

function toSubscription(id: string, hash: Record<string, string>): Subscription | undefined {
  if (!hash.definition) return undefined;
  const definition = JSON.parse(hash.definition) as SubscriptionDefinition;
  const watermark = num(hash.watermark);
  const lastSlot = num(hash.lastSlot);
  const retryAt = num(hash.retryAt);
  const openRun = num(hash.openRun);
  const state: SubscriptionState = {
    ...(hash.paused ? { paused: JSON.parse(hash.paused) as PauseInfo } : {}),
    ...(watermark === undefined ? {} : { watermark }),
    ...(lastSlot === undefined ? {} : { lastSlot }),
    ...(retryAt === undefined ? {} : { retryAt }),
    ...(openRun === undefined ? {} : { openRun }),
    ...(hash.lastResult
      ? { lastResult: JSON.parse(hash.lastResult) as SubscriptionState['lastResult'] }
      : {}),
  };
  return { id, ...definition, ...state };
}

const byId = (a: Subscription, b: Subscription): number => Number(a.id) - Number(b.id);

export async function openRedisDigestStore(
  url: string,
  prefix: string,
  deps: { clock: Clock; logger: Logger },
): Promise<DigestStore> {
  // The connection waits in real time (it is I/O), whatever clock drives the digests.
  const connection = await openRedisConnection({
    url,
    logger: deps.logger,
    purpose: 'digest store',
    connectTimeoutMs: 2000,
  });
  const { client } = connection;
  const key = {
    seq: `${prefix}seq`,
    all: `${prefix}subs`,
    sub: (id: string) => `${prefix}sub:${id}`,
    ledger: (id: string) => `${prefix}ledger:${id}`,
    run: (id: string, slot: number) => `${prefix}run:${id}:${slot}`,
    claim: (id: string, slot: number) => `${prefix}claim:${id}:${slot}`,
    channel: (p: ChannelRef) =>
      `${prefix}chan:${p.platform}:${encodeURIComponent(p.team ?? '')}:${encodeURIComponent(p.channel)}`,
  };
  const scripts = {
    release: script(client, RELEASE),
    extend: script(client, EXTEND),
    begin: script(client, BEGIN),
    finish: script(client, FINISH),
    setPaused: script(client, SET_PAUSED),
  };
  const validId = (id: string): boolean => /^\d{1,15}$/.test(id);

  async function load(id: string): Promise<Subscription | undefined> {
    return validId(id) ? toSubscription(id, await client.hGetAll(key.sub(id))) : undefined;
  }

  async function loadMany(ids: string[]): Promise<Subscription[]> {
    const subs = await Promise.all(ids.filter(validId).map(load));
    return subs.filter((s): s is Subscription => s !== undefined).sort(byId);
  }

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(error);
    }
  };

  return {
    kind: 'redis',

    create: (definition) =>
      guard(async () => {
        const id = String(await client.incr(key.seq));
        await client
          .multi()
          .hSet(key.sub(id), 'definition', JSON.stringify(definition))
          .sAdd(key.all, id)
          .sAdd(key.channel(definition.place), id)
          .exec();
        return { id, ...definition };
      }),

    get: (id) => guard(() => load(id)),

    listForChannel: (place) => guard(async () => loadMany(await client.sMembers(key.channel(place)))),

    listAll: () => guard(async () => loadMany(await client.sMembers(key.all))),

    remove: (id) =>
      guard(async () => {
        const sub = await load(id);
        if (!sub) return false;
        const [deleted] = await client
          .multi()
          .del(key.sub(id))
          .del(key.ledger(id))
          .sRem(key.all, id)
          .sRem(key.channel(sub.place), id)
          .exec();
        return Number(deleted) > 0;
      }),

    pause: (id, pause) =>
      guard(async () => {
        if (!validId(id)) return undefined;
        const done = await scripts.setPaused([key.sub(id)], [JSON.stringify(pause), '']);
        return Number(done) === 1 ? load(id) : undefined;
      }),

    resume: (id, skipThrough) =>
      guard(async () => {
        if (!validId(id)) return undefined;
        const done = await scripts.setPaused(
          [key.sub(id)],
          ['', skipThrough === undefined ? '' : String(skipThrough)],
        );
        return Number(done) === 1 ? load(id) : undefined;
      }),

    claim: (subscriptionId, slot, ttlMs) =>
      guard(async () => {
        const token = randomUUID();
        const ok = await client.set(key.claim(subscriptionId, slot), token, {
          condition: 'NX',
          expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
        });
        return ok === 'OK' ? { subscriptionId, slot, token } : undefined;
      }),

    extendClaim: (claim: Claim, ttlMs) =>
      guard(async () => {
        const done = await scripts.extend(
          [key.claim(claim.subscriptionId, claim.slot)],
          [claim.token, String(Math.round(ttlMs))],
        );
        return Number(done) === 1;
      }),

    releaseClaim: (claim) =>
      guard(async () => {
        await scripts.release([key.claim(claim.subscriptionId, claim.slot)], [claim.token]);
      }),

    getRun: (subscriptionId, slot) =>
      guard(async () => {
        const raw = await client.get(key.run(subscriptionId, slot));
        return raw ? (JSON.parse(raw) as RunRecord) : undefined;
      }),

    beginRun: (claim, record) =>
      guard(async () => {
        const { subscriptionId: id, slot, token } = claim;
        const done = await scripts.begin(
          [key.claim(id, slot), key.sub(id), key.run(id, record.slot)],
          [token, JSON.stringify(record), String(RUN_KEEP_MS), String(record.slot)],
        );
        return Number(done) === 1;
      }),

    finishRun: (claim, outcome) =>
      guard(async () => {
        const { subscriptionId: id, slot, token } = claim;
        const e = runEffects(outcome);
        const text = (n: number | null | undefined): string =>
          n === undefined || n === null ? '' : String(n);
        const done = await scripts.finish(
          [key.claim(id, slot), key.sub(id), key.run(id, e.run.slot), key.ledger(id)],
          [
            token,
            JSON.stringify(e.run),
            String(RUN_KEEP_MS),
            text(e.watermark),
            text(e.lastSlot),
            text(e.retryAt),
            JSON.stringify(e.lastResult),
            e.pause ? JSON.stringify(e.pause) : '',
            text(e.ledger?.sentAt),
            text(e.ledger?.pruneBefore),
            String(e.run.slot),
            e.keepOpen ? '1' : '0',
            ...(e.ledger?.pmids ?? []),
          ],
        );
        return Number(done) === 1;
      }),

    sentAmong: (subscriptionId, pmids) =>
      guard(async () => {
        const sent = new Set<string>();
        for (let i = 0; i < pmids.length; i += ZMSCORE_CHUNK) {
          const chunk = pmids.slice(i, i + ZMSCORE_CHUNK);
          const scores = await client.zmScore(key.ledger(subscriptionId), chunk);
          scores.forEach((score, j) => {
            if (score !== null && chunk[j] !== undefined) sent.add(chunk[j]);
          });
        }
        return sent;
      }),

    close: () => connection.close(),
  };
}
