// The load gauge reads event-loop utilization lazily, once a window, and calls the loop busy at the threshold.

import { createLoadGauge } from '../../../adapters/slack/load-gauge';
import { fakeLoop } from '../../support/fake-loop';

it('is busy only after a window in which the loop ran callbacks at least 80% of the time', () => {
  const loop = fakeLoop();
  let now = 0;
  const gauge = createLoadGauge({ now: () => now, utilization: loop.utilization });
  expect(gauge.busy()).toBe(false);
  loop.run(95, 5);
  now = 50;
  expect(gauge.busy()).toBe(false); // half a window: no new reading yet
  now = 100;
  expect(gauge.busy()).toBe(true);
  loop.run(40, 60);
  now = 150;
  expect(gauge.busy()).toBe(true); // the last reading holds until the next window
  now = 200;
  expect(gauge.busy()).toBe(false);
  loop.run(80, 20);
  now = 300;
  expect(gauge.busy()).toBe(true);
});

it('reads the real event loop by default', async () => {
  const gauge = createLoadGauge({ windowMs: 20 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(gauge.busy()).toBe(false); // asleep on a timer
  const until = performance.now() + 40;
  while (performance.now() < until); // the loop held by one callback
  expect(gauge.busy()).toBe(true);
});
