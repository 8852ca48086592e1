// The deadline helpers on the clock port: a signal that fires at a time or with its parent, and work that
// fails after a bound. Time moves only when the test says so.

import { failAfter, startDeadline, within } from '../../src/core/clock';
import { steppedClock, waitUntil } from '../clinicaltrials/stepped-clock';

describe('startDeadline', () => {
  it('aborts with its reason when the time comes, building the reason only then', async () => {
    const clock = steppedClock();
    let built = 0;
    const deadline = startDeadline(clock, 100, () => {
      built += 1;
      return new Error('late');
    });
    expect(deadline.at).toBe(clock.now() + 100);
    clock.advance(99);
    await new Promise((resolve) => setImmediate(resolve));
    expect([deadline.signal.aborted, built]).toEqual([false, 0]);
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect([deadline.signal.aborted, built]).toEqual([true, 1]);
    expect((deadline.signal.reason as Error).message).toBe('late');
    deadline.dispose();
  });

  it("aborts with the parent's reason, and a disposed deadline leaves no timer behind", () => {
    const clock = steppedClock();
    const parent = new AbortController();
    const deadline = startDeadline(clock, 100, () => new Error('late'), parent.signal);
    parent.abort('caller left');
    expect(deadline.signal.reason).toBe('caller left');
    deadline.dispose();
    expect(clock.pending()).toEqual([]);
    const already = startDeadline(clock, 100, () => 'late', parent.signal);
    expect(already.signal.reason).toBe('caller left');
    already.dispose();
  });
});

describe('failAfter and within', () => {
  it('fail or give up after the bound, and answer when the work is in time', async () => {
    const clock = steppedClock();
    const slow = new Promise<string>(() => undefined);
    const failing = failAfter(clock, 50, slow, () => new Error('no answer within 50 ms'));
    const giving = within(clock, slow, 50, 'late');
    await waitUntil(() => clock.pending().length === 2, 'both bounds are waiting');
    clock.advance(50);
    await expect(failing).rejects.toThrow('no answer within 50 ms');
    await expect(giving).resolves.toBe('late');
    await expect(failAfter(clock, 50, Promise.resolve('ok'), () => new Error('x'))).resolves.toBe('ok');
    expect(clock.pending()).toEqual([]);
  });

  it('swallows a rejection of work it stopped waiting for', async () => {
    const clock = steppedClock();
    let reject: (e: Error) => void = () => undefined;
    const work = new Promise<string>((_, r) => (reject = r));
    const bounded = failAfter(clock, 10, work, () => new Error('bound'));
    await waitUntil(() => clock.pending().length === 1, 'the bound is waiting');
    clock.advance(10);
    await expect(bounded).rejects.toThrow('bound');
    reject(new Error('late failure')); // would fail the run as an unhandled rejection if not swallowed
    await new Promise((resolve) => setImmediate(resolve));
  });
});
