// The kit's call machinery without a server: jitter, floors and Retry-After, the attempts cap, one deadline
// per call, the log line a failed call leaves, and sharing identical calls. Time moves only when told.

import { PaperbotError } from '../../src/core/errors';
import type { RateBudget } from '../../src/core/ports';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createSourceCaller, type SourceCaller } from '../../src/sources/caller';
import { sourceError } from '../../src/sources/errors';
import { backoffDelay, type RetryPolicy } from '../../src/sources/retry';
import { recordingLogger } from '../cache/helpers';
import { steppedClock, waitUntil, type SteppedClock } from '../clinicaltrials/stepped-clock';

const POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  jitter: 'full',
  floorMs: { rate_limited: 1000, server_error: 200 },
};

let clock: SteppedClock;
let budget: RateBudget;
let caller: SourceCaller;
const logger = recordingLogger();

beforeEach(() => {
  clock = steppedClock();
  budget = createMemoryRateBudget({ perSecond: 100, clock });
  logger.records.length = 0;
  caller = createSourceCaller({
    source: 'demo',
    budget,
    clock,
    logger,
    policy: POLICY,
    deadlines: { interactiveMs: 2500, batchMs: 30_000 },
    random: () => 0.5,
  });
});
afterEach(() => budget.close());

/** An attempt that fails with each of `failures` in turn, then answers "ok"; it counts its calls. */
function scripted(...failures: PaperbotError[]): { attempt: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    attempt: () => {
      const failure = failures[calls];
      calls += 1;
      return failure ? Promise.reject(failure) : Promise.resolve('ok');
    },
    calls: () => calls,
  };
}

const once = (s: ReturnType<typeof scripted>, o: { deadlineMs?: number; signal?: AbortSignal } = {}) =>
  caller.call(undefined, o, (call) => caller.step('demo-op', call, s.attempt));

describe('backoffDelay', () => {
  it('full jitter waits a random part of the step; equal jitter keeps half of it', () => {
    expect(backoffDelay(0, POLICY, () => 0.5)).toBe(50);
    expect(backoffDelay(2, POLICY, () => 0.5)).toBe(200);
    expect(backoffDelay(9, POLICY, () => 0.999)).toBe(999);
    const equal: RetryPolicy = { ...POLICY, jitter: 'equal', baseDelayMs: 250 };
    expect(backoffDelay(0, equal, () => 0.5)).toBe(188);
    expect(backoffDelay(0, equal, () => 0)).toBe(125);
  });
});

describe('a call', () => {
  it('retries a server error after its floor, then answers', async () => {
    const s = scripted(sourceError('demo', 'server_error', 'HTTP 503'));
    const work = once(s);
    await waitUntil(() => clock.pending().includes(200), 'the floor of a server error (200 ms)');
    clock.advance(200);
    await expect(work).resolves.toBe('ok');
    expect(s.calls()).toBe(2);
  });

  it('waits what Retry-After asks rather than the floor', async () => {
    const s = scripted(sourceError('demo', 'rate_limited', 'HTTP 429', { retryAfterSeconds: 2 }));
    const work = once(s, { deadlineMs: 5000 });
    await waitUntil(() => clock.pending().includes(2000), 'the Retry-After wait');
    clock.advance(2000);
    await expect(work).resolves.toBe('ok');
  });

  it('does not retry a refusal, and logs its details once', async () => {
    const s = scripted(sourceError('demo', 'refused', 'demo-op: HTTP 400 field x is unknown'));
    await expect(once(s)).rejects.toMatchObject({ code: 'upstream_error', source: 'demo' });
    expect(s.calls()).toBe(1);
    const warnings = logger.records.filter((r) => r.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toMatchObject({
      code: 'upstream_error',
      detail: 'demo-op: HTTP 400 field x is unknown',
    });
  });

  it('stops at maxAttempts with the last failure', async () => {
    const fail = (n: number) => sourceError('demo', 'connection', `reset ${n}`);
    const s = scripted(fail(1), fail(2), fail(3), fail(4));
    const work = once(s);
    for (const wait of [50, 100]) {
      await waitUntil(() => clock.pending().includes(wait), `backoff of ${wait} ms`);
      clock.advance(wait);
    }
    await expect(work).rejects.toMatchObject({ message: 'reset 3' });
    expect(s.calls()).toBe(3);
  });

  it('gives the last failure at once when the wait would outlast the deadline', async () => {
    const s = scripted(sourceError('demo', 'rate_limited', 'HTTP 429', { retryAfterSeconds: 30 }));
    await expect(once(s)).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
    expect(s.calls()).toBe(1);
  });

  it('ends at its deadline with a timeout naming the source when no attempt failed', async () => {
    const work = caller.call(undefined, {}, (call) =>
      caller.step(
        'demo-op',
        call,
        (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      ),
    );
    await waitUntil(() => clock.pending().includes(2500), 'the interactive deadline');
    clock.advance(2500);
    await expect(work).rejects.toMatchObject({ code: 'timeout', source: 'demo' });
  });
});

describe('identical calls', () => {
  it('share one run per priority; a caller who stops waiting leaves it running for the others', async () => {
    const finish: ((value: string) => void)[] = [];
    const work = (): Promise<string> => new Promise((resolve) => finish.push(resolve));
    const leaving = new AbortController();
    const first = caller.call('k', { signal: leaving.signal }, work);
    const second = caller.call('k', {}, work);
    const batch = caller.call('k', { priority: 'batch' }, work);
    expect(finish).toHaveLength(2);
    leaving.abort();
    await expect(first).rejects.toMatchObject({ code: 'timeout', retryable: false });
    finish[0]?.('shared');
    await expect(second).resolves.toBe('shared');
    finish[1]?.('batch');
    await expect(batch).resolves.toBe('batch');
  });
});
