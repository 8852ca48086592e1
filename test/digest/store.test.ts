// One contract, two backends: the embedded SQLite store and the Redis store (real Redis on 127.0.0.1).

import type { Claim, DigestStore } from '../../src/digest/store';
import type { RunRecord, SubscriptionDefinition } from '../../src/digest/types';
import { redisStore, SLACK_CHANNEL, sqliteStore, wallClock, type TestStore, type WallClock } from './support';

const T0 = Date.parse('2026-03-10T06:30:00Z');
const DAY = 86_400_000;

const definition = (over: Partial<SubscriptionDefinition> = {}): SubscriptionDefinition => ({
  place: SLACK_CHANNEL,
  createdBy: { id: 'U1', name: 'Dr Ada' },
  createdAt: T0 - DAY,
  query: {
    text: 'immunotherapy liver metastases',
    terms: 'immunotherapy liver metastases',
    types: [],
    term: 'immunotherapy liver metastases',
  },
  schedule: { cadence: 'daily', time: '07:30', timeZone: 'Europe/Berlin' },
  notifyEmpty: false,
  ...over,
});

const record = (claim: Claim, over: Partial<RunRecord> = {}): RunRecord => ({
  subscriptionId: claim.subscriptionId,
  slot: claim.slot,
  status: 'posting',
  key: `k-${claim.slot}`,
  startedAt: T0,
  window: { from: '2026/03/09', to: '2026/03/10' },
  windowEnd: claim.slot + 1000,
  pmids: ['111', '222'],
  count: 2,
  attempts: 1,
  ...over,
});

describe.each([
  ['sqlite', sqliteStore],
  ['redis', redisStore],
] as const)('digest store contract: %s', (_name, open) => {
  let clock: WallClock;
  let t: TestStore;
  let store: DigestStore;

  beforeEach(async () => {
    clock = wallClock(T0);
    t = await open(clock);
    store = t.store;
  });
  afterEach(() => t.close());

  it('creates with fresh ids, lists by channel and in full, and removes', async () => {
    const a = await store.create(definition());
    const b = await store.create(definition({ place: { ...SLACK_CHANNEL, channel: 'C0OTHER' } }));
    expect(a.id).not.toBe(b.id);
    expect(await store.get(a.id)).toEqual(a);
    expect((await store.listForChannel(SLACK_CHANNEL)).map((s) => s.id)).toEqual([a.id]);
    expect((await store.listAll()).map((s) => s.id)).toEqual([a.id, b.id]);
    expect(await store.remove(a.id)).toBe(true);
    expect(await store.remove(a.id)).toBe(false);
    expect(await store.get(a.id)).toBeUndefined();
    const c = await store.create(definition());
    expect(Number(c.id)).toBeGreaterThan(Number(b.id)); // ids are never reused
    expect(await store.get('not-an-id')).toBeUndefined();
  });

  it('pauses with a reason and resumes, skipping the slots missed while paused', async () => {
    const a = await store.create(definition());
    const paused = await store.pause(a.id, {
      at: T0,
      by: 'delivery',
      problem: 'archived',
      detail: 'is_archived',
    });
    expect(paused?.paused).toEqual({ at: T0, by: 'delivery', problem: 'archived', detail: 'is_archived' });
    const resumed = await store.resume(a.id, T0 + DAY);
    expect(resumed?.paused).toBeUndefined();
    expect(resumed?.lastSlot).toBe(T0 + DAY);
    expect(await store.pause('999999', { at: T0, by: 'user' })).toBeUndefined();
  });

  it('gives a (subscription, slot) to one claimant until released or expired', async () => {
    const a = await store.create(definition());
    const other = await t.twin();
    const mine = await store.claim(a.id, T0, 60_000);
    expect(mine).toBeDefined();
    expect(await other.claim(a.id, T0, 60_000)).toBeUndefined();
    expect(await other.claim(a.id, T0 + DAY, 60_000)).toBeDefined(); // another slot is free
    // Releasing someone else's claim does nothing.
    await other.releaseClaim({ ...(mine as Claim), token: 'not-mine' });
    expect(await other.claim(a.id, T0, 60_000)).toBeUndefined();
    await store.releaseClaim(mine as Claim);
    expect(await other.claim(a.id, T0, 60_000)).toBeDefined();
  });

  it('fences writes: a lost claim can neither begin nor finish a run', async () => {
    const a = await store.create(definition());
    const claim = (await store.claim(a.id, T0, 60_000)) as Claim;
    const forged = { ...claim, token: 'stale' };
    expect(await store.beginRun(forged, record(claim))).toBe(false);
    expect(await store.extendClaim(forged, 60_000)).toBe(false);
    expect(await store.extendClaim(claim, 60_000)).toBe(true);
    expect(await store.beginRun(claim, record(claim))).toBe(true);
    expect(await store.finishRun(forged, { status: 'delivered', at: T0, run: record(claim) })).toBe(false);
    expect(await store.sentAmong(a.id, ['111'])).toEqual(new Set());
  });

  it('records the run before posting and applies its outcome atomically after', async () => {
    const a = await store.create(definition());
    const claim = (await store.claim(a.id, T0, 60_000)) as Claim;
    const run = record(claim);
    expect(await store.beginRun(claim, run)).toBe(true);
    expect(await store.getRun(a.id, T0)).toEqual(run);
    expect((await store.get(a.id))?.openRun).toBe(T0);

    expect(
      await store.finishRun(claim, { status: 'delivered', at: T0 + 5, run: { ...run, messageId: 'm1' } }),
    ).toBe(true);
    const after = await store.get(a.id);
    expect(after).toMatchObject({
      watermark: T0 + 1000,
      lastSlot: T0,
      lastResult: { status: 'delivered', count: 2, slot: T0 },
    });
    expect(after?.openRun).toBeUndefined();
    expect(await store.getRun(a.id, T0)).toMatchObject({
      status: 'delivered',
      messageId: 'm1',
      finishedAt: T0 + 5,
    });
    expect(await store.sentAmong(a.id, ['111', '222', '333'])).toEqual(new Set(['111', '222']));
  });

  it('failures keep the watermark, schedule a retry, and keep the run open when it may have posted', async () => {
    const a = await store.create(definition());
    const claim = (await store.claim(a.id, T0, 60_000)) as Claim;
    const run = record(claim);
    await store.beginRun(claim, run);
    await store.finishRun(claim, {
      status: 'failed',
      at: T0,
      run: { ...run, problem: 'delivery_failed', maybePosted: true },
      retryAt: T0 + 120_000,
      giveUp: false,
    });
    let s = await store.get(a.id);
    expect(s).toMatchObject({
      retryAt: T0 + 120_000,
      openRun: T0,
      lastResult: { status: 'failed', problem: 'delivery_failed' },
    });
    expect(s?.watermark).toBeUndefined();
    expect(s?.lastSlot).toBeUndefined();

    await store.finishRun(claim, {
      status: 'failed',
      at: T0,
      run: { ...run, problem: 'pubmed_unavailable' },
      giveUp: true,
    });
    s = await store.get(a.id);
    expect(s?.retryAt).toBeUndefined();
    expect(s?.openRun).toBeUndefined();
    expect(s?.lastSlot).toBe(T0);
  });

  it('a refusal for good pauses the subscription and closes the slot', async () => {
    const a = await store.create(definition());
    const claim = (await store.claim(a.id, T0, 60_000)) as Claim;
    const run = record(claim);
    await store.beginRun(claim, run);
    await store.finishRun(claim, {
      status: 'paused',
      at: T0,
      run,
      pause: { at: T0, by: 'delivery', problem: 'not_found' },
    });
    expect(await store.get(a.id)).toMatchObject({
      lastSlot: T0,
      paused: { by: 'delivery', problem: 'not_found' },
      lastResult: { status: 'paused', problem: 'not_found' },
    });
  });

  it('never lowers the watermark and prunes ledger entries no window can reach again', async () => {
    const a = await store.create(definition());
    const c1 = (await store.claim(a.id, T0, 60_000)) as Claim;
    await store.finishRun(c1, { status: 'delivered', at: T0, run: record(c1, { pmids: ['1', '2'] }) });
    const later = T0 + 5 * DAY;
    const c2 = (await store.claim(a.id, later, 60_000)) as Claim;
    await store.finishRun(c2, { status: 'delivered', at: later, run: record(c2, { pmids: ['3'] }) });
    expect(await store.sentAmong(a.id, ['1', '2', '3'])).toEqual(new Set(['3']));
    // A late finish of an older run (reconciliation) must not move the watermark back.
    const c3 = (await store.claim(a.id, T0 + DAY, 60_000)) as Claim;
    await store.finishRun(c3, { status: 'empty', at: later, run: record(c3, { pmids: [] }) });
    expect(await store.get(a.id)).toMatchObject({ watermark: later + 1000, lastSlot: later });
  });

  it('a removed subscription cannot be written by a run that still holds a claim', async () => {
    const a = await store.create(definition());
    const claim = (await store.claim(a.id, T0, 60_000)) as Claim;
    await store.remove(a.id);
    expect(await store.beginRun(claim, record(claim))).toBe(false);
    expect(await store.finishRun(claim, { status: 'delivered', at: T0, run: record(claim) })).toBe(false);
    expect(await store.get(a.id)).toBeUndefined();
  });
});

describe('sqlite claims expire on the injected clock', () => {
  it('another process takes over a slot whose holder vanished', async () => {
    const clock = wallClock(T0);
    const t = await sqliteStore(clock);
    try {
      const a = await t.store.create(definition());
      const other = await t.twin();
      expect(await t.store.claim(a.id, T0, 60_000)).toBeDefined();
      clock.set(T0 + 59_999);
      expect(await other.claim(a.id, T0, 60_000)).toBeUndefined();
      clock.set(T0 + 60_000);
      expect(await other.claim(a.id, T0, 60_000)).toBeDefined();
    } finally {
      await t.close();
    }
  });
});
