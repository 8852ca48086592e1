// admission.ts on a loop whose busy time the test sets: no limit until the loop stays saturated, then a rate
// fitted to hold it at the target, growing back while there is room and lifted once calm; and on Node's loop.

import { createAdmission, type AdmissionOptions } from '../../../adapters/slack/admission';
import { fakeLoop } from '../../support/fake-loop';

interface Phase {
  windows: number;
  /** Requests arriving per 50 ms, evenly spread. */
  offered: number;
  /** Loop ms a taken request costs (its ack and answer); a refusal; other work at the start of each window. */
  cost?: number;
  refusalCost?: number;
  background?: number;
}

interface Window {
  taken: number;
  refused: number;
  /** Share of the window the loop was busy. */
  used: number;
  /** Longest a request waited for the loop (its ack's queueing delay), ms. */
  maxWait: number;
}

/**
 * A replica as one event loop: requests arrive on time and wait until the loop reaches them (the queue in the
 * sockets), a taken one costs `cost` of loop time, a refused one `refusalCost`. Returns each 50 ms window of
 * arrivals: what was taken and refused, how long they waited, how busy the loop was.
 */
function simulate(phases: Phase[], o: AdmissionOptions = {}): Window[] {
  const loop = fakeLoop();
  let t = 0;
  const admission = createAdmission({ now: () => t, utilization: (s) => loop.utilization(s), ...o });
  const windows: Window[] = [];
  let start = 0;
  const idleUntil = (at: number): void => {
    if (t >= at) return;
    loop.run(0, at - t);
    t = at;
  };
  for (const p of phases) {
    for (let w = 0; w < p.windows; w++, start += 50) {
      const win: Window = { taken: 0, refused: 0, used: 0, maxWait: 0 };
      const activeBefore = loop.active();
      const from = Math.max(t, start);
      if (p.background) {
        idleUntil(start);
        loop.run(p.background, 0);
        t += p.background;
      }
      for (let i = 0; i < p.offered; i++) {
        const arrival = start + ((i + 0.5) * 50) / p.offered;
        idleUntil(arrival);
        win.maxWait = Math.max(win.maxWait, t - arrival);
        const ok = admission.take();
        const busy = ok ? (p.cost ?? 0.5) : (p.refusalCost ?? 0.025);
        loop.run(busy, 0);
        t += busy;
        if (ok) win.taken += 1;
        else win.refused += 1;
      }
      win.used = (loop.active() - activeBefore) / Math.max(50, t - from);
      windows.push(win);
    }
  }
  return windows;
}

const taken = (ws: Window[]): number[] => ws.map((w) => w.taken);

// 0.5 ms a request: 100 a window fill the loop, 80 hold it at the target.
it('takes everything while the loop has room', () => {
  expect(taken(simulate([{ windows: 20, offered: 76 }])).every((n) => n === 76)).toBe(true);
});

it('one or two saturated windows are a burst, not saturation: nothing refused', () => {
  const ws = simulate([
    { windows: 2, offered: 110 },
    { windows: 8, offered: 40 },
    { windows: 2, offered: 110 },
    { windows: 8, offered: 40 },
  ]);
  expect(ws.every((w) => w.refused === 0)).toBe(true);
});

it.each([1.5, 3])(
  'at %s× what the loop can take: loop near the target, acks wait little, goodput holds',
  (x) => {
    const ws = simulate([
      { windows: 10, offered: 60 },
      { windows: 60, offered: 100 * x },
    ]);
    const settled = ws.slice(30);
    expect(Math.max(...settled.map((w) => w.used))).toBeLessThanOrEqual(0.9);
    expect(Math.max(...settled.map((w) => w.maxWait))).toBeLessThanOrEqual(10);
    // At the target the loop takes 80 a window, less what the refusals cost.
    const atTarget = (40 - (100 * x - 80) * 0.025) / 0.5;
    expect(Math.min(...taken(settled))).toBeGreaterThanOrEqual(0.9 * atTarget);
  },
);

it('without a limit the same overload makes every ack wait longer and longer', () => {
  const ws = simulate([{ windows: 60, offered: 150 }], { target: 1.01 });
  expect(ws[59]?.maxWait).toBeGreaterThan(1000);
});

it('a flood that refusals alone would fill still leaves about half the loop serving', () => {
  // 4,000 a window: refusing them all would take twice the loop; cutting the rate cannot empty it.
  const ws = simulate([
    { windows: 10, offered: 60 },
    { windows: 40, offered: 4000 },
  ]);
  const flood = ws.slice(20);
  // The loop's time per window stretches; what counts is the share serving (0.6 of the 0.8 the limit began at).
  for (const w of flood) expect((w.taken * 0.5) / (w.taken * 0.5 + w.refused * 0.025)).toBeGreaterThan(0.45);
});

it('lifts the limit once demand is back under what the loop can take', () => {
  const ws = simulate([
    { windows: 30, offered: 300 },
    { windows: 40, offered: 40 },
    { windows: 1, offered: 95 },
  ]);
  expect(taken(ws.slice(-41, -1)).every((n) => n === 40)).toBe(true);
  // No limit left: a burst is taken whole, as at the start.
  expect(ws[ws.length - 1]?.taken).toBe(95);
});

it('a quiet spell after a flood leaves no limit behind', () => {
  const ws = simulate([
    { windows: 30, offered: 300 },
    { windows: 30, offered: 0 },
    { windows: 1, offered: 95 },
  ]);
  expect(ws[ws.length - 1]?.taken).toBe(95);
});

it('serves at least the floor, whatever else keeps the loop busy', () => {
  const ws = simulate([{ windows: 40, offered: 50, background: 45 }], { floorPerSecond: 100 });
  // Every second (20 windows) takes the floor's 100, give or take the token bucket's rounding.
  const perSecond = (from: number): number => taken(ws.slice(from, from + 20)).reduce((a, b) => a + b, 0);
  expect(perSecond(0)).toBeGreaterThanOrEqual(98);
  expect(perSecond(20)).toBeGreaterThanOrEqual(98);
});

it('never refuses requests that arrive no faster than the floor, however busy the loop', () => {
  const ws = simulate([{ windows: 20, offered: 5, background: 49 }], { floorPerSecond: 100 });
  expect(ws.every((w) => w.refused === 0)).toBe(true);
});

it('reads the real event loop by default', () => {
  const admission = createAdmission({ windowMs: 10, floorPerSecond: 1 });
  let refused = 0;
  // Requests that each hold the loop 0.5 ms, arriving faster than it can take them for 200 ms: limited.
  const until = performance.now() + 200;
  while (performance.now() < until) {
    if (!admission.take()) {
      refused += 1;
      continue;
    }
    const done = performance.now() + 0.5;
    while (performance.now() < done);
  }
  expect(refused).toBeGreaterThan(0);
});
