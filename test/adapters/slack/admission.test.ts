// admission.ts on a loop whose busy time the test sets: no limit until the loop stays saturated, then a rate
// fitted to hold it at the target, growing back while there is room and lifted once calm; and on Node's loop.

import type { EventLoopUtilization } from 'node:perf_hooks';
import { createAdmission, type AdmissionOptions } from '../../../adapters/slack/admission';

function fakeLoop() {
  const total = { idle: 0, active: 0 };
  return {
    utilization(since?: EventLoopUtilization): EventLoopUtilization {
      const idle = total.idle - (since?.idle ?? 0);
      const active = total.active - (since?.active ?? 0);
      return { idle, active, utilization: idle + active > 0 ? active / (idle + active) : 0 };
    },
    run(activeMs: number, idleMs: number) {
      total.active += activeMs;
      total.idle += idleMs;
    },
  };
}

interface Plant {
  /** Loop time one taken request costs (its ack and answer), ms. */
  cost?: number;
  /** Loop time one refusal costs, ms. */
  refusalCost?: number;
  /** Loop time a window spends on other work, ms. */
  background?: number;
}

/**
 * A replica as a plant: each 50 ms window, `offered` requests arrive spread over it; the loop is busy for what
 * the taken and the refused cost (plus other work), capped at the whole window. Returns what was taken and
 * how busy the loop was.
 */
function replica(o: AdmissionOptions = {}) {
  const loop = fakeLoop();
  let start = 0;
  let now = 0;
  const admission = createAdmission({ now: () => now, utilization: (s) => loop.utilization(s), ...o });
  return {
    window(offered: number, p: Plant = {}): { taken: number; used: number } {
      let taken = 0;
      // Arrivals inside the window, none on its edges: each window's reading is taken at its next arrival.
      for (let i = 0; i < offered; i++) {
        now = start + ((i + 0.5) * 50) / offered;
        if (admission.take()) taken += 1;
      }
      start += 50;
      const busy =
        taken * (p.cost ?? 0.5) + (offered - taken) * (p.refusalCost ?? 0.025) + (p.background ?? 0);
      const used = Math.min(1, busy / 50);
      loop.run(50 * used, 50 * (1 - used));
      return { taken, used };
    },
  };
}

const runs = (r: ReturnType<typeof replica>, n: number, offered: number, p: Plant = {}) =>
  Array.from({ length: n }, () => r.window(offered, p));

// 0.5 ms a request: 100 a window fill the loop, 80 hold it at the target.
it('takes everything while the loop has room', () => {
  const r = replica();
  expect(runs(r, 20, 76).every((w) => w.taken === 76)).toBe(true);
});

it('one or two saturated windows are a burst, not saturation: nothing refused', () => {
  const r = replica();
  const windows = [...runs(r, 2, 200), ...runs(r, 5, 40), ...runs(r, 2, 200), ...runs(r, 5, 40)];
  expect(windows.map((w) => w.taken)).toEqual([200, 200, 40, 40, 40, 40, 40, 200, 200, 40, 40, 40, 40, 40]);
});

it.each([1.5, 3])(
  'at %s× what the loop can take, holds it near the target and serves at 0.9 of it or more',
  (x) => {
    const r = replica();
    const windows = runs(r, 60, 100 * x);
    const settled = windows.slice(20);
    expect(Math.max(...settled.map((w) => w.used))).toBeLessThanOrEqual(0.86);
    // At the target the loop takes 80 a window, less what the refusals cost.
    const refusals = 100 * x - 80;
    const atTarget = (40 - refusals * 0.025) / 0.5;
    expect(Math.min(...settled.map((w) => w.taken))).toBeGreaterThanOrEqual(0.9 * atTarget);
  },
);

it('lifts the limit once demand is back under what the loop can take', () => {
  const r = replica();
  runs(r, 30, 300);
  const calm = runs(r, 25, 40);
  expect(calm.every((w) => w.taken === 40)).toBe(true);
  // No limit left: a new burst is taken whole, as at the start.
  expect(r.window(200).taken).toBe(200);
});

it('a quiet spell after a flood leaves no limit behind', () => {
  const r = replica();
  runs(r, 30, 300);
  runs(r, 30, 0); // nobody asks for a second and a half
  expect(r.window(150).taken).toBe(150);
});

it('never limits below the floor, whatever else keeps the loop busy', () => {
  const r = replica({ floorPerSecond: 100 });
  const windows = runs(r, 40, 50, { background: 50 });
  // Each saturated window cuts the rate by the target's share, down to the floor: 100 a second, 5 a window.
  expect(windows.slice(-5).map((w) => w.taken)).toEqual([5, 5, 5, 5, 5]);
});

it('never refuses requests that arrive no faster than the floor, however busy the loop', () => {
  const r = replica({ floorPerSecond: 100 });
  expect(runs(r, 20, 5, { background: 50 }).every((w) => w.taken === 5)).toBe(true);
});

it('reads the real event loop by default', () => {
  const admission = createAdmission({ windowMs: 10, floorPerSecond: 1 });
  let refused = 0;
  // The loop held by one callback for 100 ms while requests keep arriving: saturated, and so limited.
  const until = performance.now() + 100;
  while (performance.now() < until) if (!admission.take()) refused += 1;
  expect(refused).toBeGreaterThan(0);
});
