// The DigestStore over the shared DurableStore: one JSON record per subscription, ordered keys for the
// indexes and the sent-PMID ledger, token claims; every change is one conditional commit, retried on a race.

import { randomUUID } from 'node:crypto';
import type { DurableStore, StoreCheck, StoreWrite } from '../core/store';
import { digestKeys } from '../store/keys';
import type { Claim, DigestStore } from './store-port';
import { RUN_KEEP_MS, runEffects, storeFailure } from './store-effects';
import type { RunRecord, Subscription, SubscriptionDefinition, SubscriptionState } from './types';

/** What is stored per subscription: fixed definition, changing state (the migration writes this shape too). */
export interface SubscriptionRecord {
  definition: SubscriptionDefinition;
  state: SubscriptionState;
}

/** A racing writer (another replica's pause, a run) makes a commit fail; it is re-read and tried again. */
const MAX_ATTEMPTS = 20;

/** Ids are positive integers; anything else names no subscription. */
const validId = (id: string): boolean => /^\d{1,15}$/.test(id);

const toSubscription = (id: string, record: SubscriptionRecord): Subscription => ({
  id,
  ...record.definition,
  ...record.state,
});

/** The state after a finished run: watermark and lastSlot only ever rise. */
function finishedState(state: SubscriptionState, e: ReturnType<typeof runEffects>): SubscriptionState {
  const raised = (current: number | undefined, next: number | undefined) =>
    next === undefined ? current : Math.max(current ?? next, next);
  const next: SubscriptionState = { ...state, lastResult: e.lastResult };
  const watermark = raised(state.watermark, e.watermark);
  const lastSlot = raised(state.lastSlot, e.lastSlot);
  if (watermark !== undefined) next.watermark = watermark;
  if (lastSlot !== undefined) next.lastSlot = lastSlot;
  if (e.retryAt === null) delete next.retryAt;
  else next.retryAt = e.retryAt;
  if (e.pause) next.paused = e.pause;
  if (!e.keepOpen && state.openRun === e.run.slot) delete next.openRun;
  return next;
}

export function createDigestStore(store: DurableStore): DigestStore {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(error);
    }
  };
  const read = (id: string): Promise<SubscriptionRecord | undefined> =>
    validId(id) ? store.get<SubscriptionRecord>(digestKeys.sub(id)) : Promise.resolve(undefined);
  const loadMany = async (ids: string[]): Promise<Subscription[]> => {
    const valid = ids.filter(validId);
    const records = await store.getMany<SubscriptionRecord>(valid.map(digestKeys.sub));
    const subs: Subscription[] = [];
    records.forEach((record, i) => {
      const id = valid[i];
      if (record && id !== undefined) subs.push(toSubscription(id, record));
    });
    return subs.sort((a, b) => Number(a.id) - Number(b.id));
  };

  /**
   * Re-reads and commits until no other writer intervenes. `plan` returns undefined to stop (and the
   * result `stopped` gives), or the extra checks and writes to commit alongside "the record is unchanged".
   */
  async function change<R>(
    id: string,
    plan: (
      record: SubscriptionRecord,
    ) => { checks?: StoreCheck[]; writes: StoreWrite[]; result: R } | undefined,
    stopped: R,
  ): Promise<R> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const record = await read(id);
      if (!record) return stopped;
      const step = plan(record);
      if (!step) return stopped;
      const checks = [{ key: digestKeys.sub(id), equals: record }, ...(step.checks ?? [])];
      if (await store.commit(checks, step.writes)) return step.result;
    }
    throw storeFailure(new Error(`subscription ${id} kept changing under ${MAX_ATTEMPTS} attempts`));
  }

  /** A change made under a claim: false as soon as the claim is no longer ours or the subscription is gone. */
  async function claimed(
    claim: Claim,
    writes: (record: SubscriptionRecord) => StoreWrite[],
  ): Promise<boolean> {
    const id = claim.subscriptionId;
    const claimKey = digestKeys.claim(id, claim.slot);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if ((await store.get<string>(claimKey)) !== claim.token) return false;
      const record = await read(id);
      if (!record) return false;
      const checks = [
        { key: claimKey, equals: claim.token },
        { key: digestKeys.sub(id), equals: record },
      ];
      if (await store.commit(checks, writes(record))) return true;
    }
    throw storeFailure(new Error(`run of ${id} kept racing under ${MAX_ATTEMPTS} attempts`));
  }

  const withState = (id: string, record: SubscriptionRecord, state: SubscriptionState): StoreWrite => ({
    op: 'set',
    key: digestKeys.sub(id),
    value: { definition: record.definition, state } satisfies SubscriptionRecord,
  });

  return {
    kind: store.kind,

    create: (definition) =>
      guard(async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
          const seq = await store.get<number>(digestKeys.seq);
          const id = String((seq ?? 0) + 1);
          const record: SubscriptionRecord = { definition, state: {} };
          const done = await store.commit(
            [{ key: digestKeys.seq, equals: seq }],
            [
              { op: 'set', key: digestKeys.seq, value: Number(id) },
              { op: 'set', key: digestKeys.sub(id), value: record },
              { op: 'addOrdered', key: digestKeys.all, member: id, score: Number(id) },
              { op: 'addOrdered', key: digestKeys.channel(definition.place), member: id, score: Number(id) },
            ],
          );
          if (done) return { id, ...definition };
        }
        throw new Error(`no subscription id after ${MAX_ATTEMPTS} attempts`);
      }),

    get: (id) =>
      guard(async () => {
        const record = await read(id);
        return record ? toSubscription(id, record) : undefined;
      }),

    listForChannel: (place) => guard(async () => loadMany(await store.members(digestKeys.channel(place)))),

    listAll: () => guard(async () => loadMany(await store.members(digestKeys.all))),

    remove: (id) =>
      guard(() =>
        change(
          id,
          (record) => ({
            writes: [
              { op: 'delete', key: digestKeys.sub(id) },
              { op: 'delete', key: digestKeys.ledger(id) },
              { op: 'removeOrdered', key: digestKeys.all, member: id },
              { op: 'removeOrdered', key: digestKeys.channel(record.definition.place), member: id },
            ],
            result: true,
          }),
          false,
        ),
      ),

    pause: (id, paused) =>
      guard(() =>
        change(
          id,
          (record) => {
            const { retryAt: _dropped, ...state } = record.state;
            const next = { ...state, paused };
            return {
              writes: [withState(id, record, next)],
              result: toSubscription(id, { ...record, state: next }),
            };
          },
          undefined,
        ),
      ),

    resume: (id, skipThrough) =>
      guard(() =>
        change(
          id,
          (record) => {
            const { retryAt: _retry, paused: _paused, ...state } = record.state;
            const next: SubscriptionState =
              skipThrough === undefined
                ? state
                : { ...state, lastSlot: Math.max(state.lastSlot ?? 0, skipThrough) };
            return {
              writes: [withState(id, record, next)],
              result: toSubscription(id, { ...record, state: next }),
            };
          },
          undefined,
        ),
      ),

    claim: (subscriptionId, slot, ttlMs) =>
      guard(async () => {
        if (!validId(subscriptionId)) return undefined;
        const token = randomUUID();
        const taken = await store.compareAndSet(
          digestKeys.claim(subscriptionId, slot),
          undefined,
          token,
          ttlMs,
        );
        return taken ? { subscriptionId, slot, token } : undefined;
      }),

    extendClaim: (claim, ttlMs) =>
      guard(() =>
        store.compareAndSet(
          digestKeys.claim(claim.subscriptionId, claim.slot),
          claim.token,
          claim.token,
          ttlMs,
        ),
      ),

    releaseClaim: (claim) =>
      guard(async () => {
        await store.compareAndSet(digestKeys.claim(claim.subscriptionId, claim.slot), claim.token, undefined);
      }),

    getRun: (subscriptionId, slot) =>
      guard(async () =>
        validId(subscriptionId) ? store.get<RunRecord>(digestKeys.run(subscriptionId, slot)) : undefined,
      ),

    beginRun: (claim, run) =>
      guard(() =>
        claimed(claim, (record) => [
          { op: 'set', key: digestKeys.run(claim.subscriptionId, run.slot), value: run, ttlMs: RUN_KEEP_MS },
          withState(claim.subscriptionId, record, { ...record.state, openRun: run.slot }),
        ]),
      ),

    finishRun: (claim, outcome) =>
      guard(() => {
        const e = runEffects(outcome);
        const id = claim.subscriptionId;
        return claimed(claim, (record) => [
          { op: 'set', key: digestKeys.run(id, e.run.slot), value: e.run, ttlMs: RUN_KEEP_MS },
          withState(id, record, finishedState(record.state, e)),
          ...(e.ledger
            ? [
                ...e.ledger.pmids.map((pmid): StoreWrite => ({
                  op: 'addOrdered',
                  key: digestKeys.ledger(id),
                  member: pmid,
                  score: e.ledger?.sentAt ?? 0,
                })),
                { op: 'trimOrdered', key: digestKeys.ledger(id), below: e.ledger.pruneBefore } as const,
              ]
            : []),
        ]);
      }),

    sentAmong: (subscriptionId, pmids) =>
      guard(async () => {
        const sent = new Set<string>();
        if (!validId(subscriptionId)) return sent;
        const scores = await store.scores(digestKeys.ledger(subscriptionId), pmids);
        scores.forEach((score, i) => {
          const pmid = pmids[i];
          if (score !== undefined && pmid !== undefined) sent.add(pmid);
        });
        return sent;
      }),

    // The shared store is the composition root's to close.
    close: async () => undefined,
  };
}
