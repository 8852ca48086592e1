// The adapter contract's reply deadline: the core's signal aborts with a `timeout` error when the platform's
// window closes, and the wait is released as soon as the answer is in (no timer outlives a reply).

import type { Clock } from '../../src/core/clock';
import { isPaperbotError } from '../../src/core/errors';
import { withReplyDeadline } from '../../adapters/platform';

/** A clock whose sleeps end only when the test says so; it remembers each sleep's signal. */
function heldClock(): Clock & { fire(): void; signals: (AbortSignal | undefined)[] } {
  const pending: (() => void)[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  return {
    now: () => 0,
    sleep(_ms, signal) {
      signals.push(signal);
      return new Promise<void>((resolve, reject) => {
        pending.push(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    },
    fire: () => pending.splice(0).forEach((resolve) => resolve()),
    signals,
  };
}

it('aborts the work with a timeout when the deadline passes', async () => {
  const clock = heldClock();
  const seen: unknown[] = [];
  const answer = withReplyDeadline(
    clock,
    300,
    (signal) =>
      new Promise<string>((resolve) =>
        signal.addEventListener('abort', () => {
          seen.push(signal.reason);
          resolve('answered from what it had');
        }),
      ),
  );
  clock.fire();
  await expect(answer).resolves.toBe('answered from what it had');
  expect(isPaperbotError(seen[0]) && seen[0].code).toBe('timeout');
});

it('releases the wait once the work is done', async () => {
  const clock = heldClock();
  let signal: AbortSignal | undefined;
  await withReplyDeadline(clock, 300, async (s) => {
    signal = s;
    return 'quick';
  });
  expect(clock.signals[0]?.aborted).toBe(true);
  expect(signal?.aborted).toBe(false);
});
