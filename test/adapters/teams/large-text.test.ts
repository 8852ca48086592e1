// Teams messages of adversarial markup through the real server: mention and tag stripping is linear, so the
// request is answered and the server stays responsive (it once blocked for 6 s on 200 KB of '<p'). 200 KB:
// the figure, and inside the cap on a Teams request's body.

import { fixture, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

/** The quadratic stripping took seconds on each of these; the time limit of each test is what catches it. */
const LIMIT_MS = 4000;

it.each(['<p', '<at', '<at>x', '<b '])(
  'answers 200 KB of %j and keeps /healthz answering',
  async (seed) => {
    h.connector.reset();
    const text = seed.repeat(Math.ceil(200_000 / seed.length));
    const posted = h.post({ ...fixture('vercel_teams_dm.json', 'dmMessage'), text });
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await posted).status).toBe(200);
  },
  LIMIT_MS,
);
