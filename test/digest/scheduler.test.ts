// The scheduler loop across daylight-saving switch days in two zones: it ticks every minute of simulated
// time (the wall clock moves when the loop sleeps) and each 07:30 digest is posted once, at 07:30 local.

import { silentLogger } from '../../src/core/logger';
import { startDigestScheduler } from '../../src/digest/scheduler';
import type { Schedule } from '../../src/digest/types';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import {
  recordingDeliverer,
  SLACK_CHANNEL,
  sqliteStore,
  startPubmed,
  wallClock,
  type TestPubmed,
} from './support';

let fake: FakeEutils;
let pubmed: TestPubmed;

beforeAll(async () => {
  fake = await startFakeEutils();
  pubmed = await startPubmed(fake.url);
});
afterAll(async () => {
  await pubmed.close();
  await fake.close();
});

/** Runs the real scheduler from `from` until the wall clock passes `to`; returns when each zone's digest was posted. */
async function postsBetween(zones: string[], from: string, to: string): Promise<Record<string, string[]>> {
  const clock = wallClock(from);
  const t = await sqliteStore(clock);
  const slack = recordingDeliverer(clock);
  try {
    for (const timeZone of zones) {
      const schedule: Schedule = { cadence: 'daily', time: '07:30', timeZone };
      await t.store.create({
        place: { ...SLACK_CHANNEL, channel: timeZone },
        createdBy: { id: 'U1' },
        createdAt: Date.parse(from),
        query: { text: 'x', terms: 'x', types: [], term: 'x' },
        schedule,
        // Post a line even when nothing is new, so every slot leaves a visible trace.
        notifyEmpty: true,
      });
    }
    const end = Date.parse(to);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const scheduler = startDigestScheduler(
      { store: t.store, pubmed: pubmed.service, deliverers: { slack }, clock, logger: silentLogger },
      { onRun: () => (clock.now() >= end ? finished() : undefined) },
    );
    await done;
    await scheduler.stop();
    const out: Record<string, string[]> = {};
    for (const zone of zones)
      out[zone] = slack.postsTo(zone).map((p) => new Date(Math.floor(p.at / 60_000) * 60_000).toISOString());
    return out;
  } finally {
    await t.close();
  }
}

describe('the 07:30 digest on daylight-saving switch days', () => {
  it('spring: New York switches on 8 Mar 2026, Berlin on 29 Mar 2026', async () => {
    const ny = await postsBetween(['America/New_York'], '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z');
    expect(ny['America/New_York']).toEqual([
      '2026-03-07T12:30:00.000Z',
      '2026-03-08T11:30:00.000Z',
      '2026-03-09T11:30:00.000Z',
    ]);
    const berlin = await postsBetween(['Europe/Berlin'], '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z');
    expect(berlin['Europe/Berlin']).toEqual([
      '2026-03-28T06:30:00.000Z',
      '2026-03-29T05:30:00.000Z',
      '2026-03-30T05:30:00.000Z',
    ]);
  });

  it('autumn: Berlin switches on 25 Oct 2026, New York on 1 Nov 2026', async () => {
    const berlin = await postsBetween(['Europe/Berlin'], '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z');
    expect(berlin['Europe/Berlin']).toEqual([
      '2026-10-24T05:30:00.000Z',
      '2026-10-25T06:30:00.000Z',
      '2026-10-26T06:30:00.000Z',
    ]);
    const ny = await postsBetween(['America/New_York'], '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z');
    expect(ny['America/New_York']).toEqual([
      '2026-10-31T11:30:00.000Z',
      '2026-11-01T12:30:00.000Z',
      '2026-11-02T12:30:00.000Z',
    ]);
  });

  it('stop() ends the loop without another run', async () => {
    const clock = wallClock('2026-03-07T00:00:00Z');
    const t = await sqliteStore(clock);
    let runs = 0;
    const scheduler = startDigestScheduler(
      { store: t.store, pubmed: pubmed.service, deliverers: {}, clock, logger: silentLogger },
      { onRun: () => void (runs += 1) },
    );
    await scheduler.stop();
    const after = runs;
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(after);
    expect(runs).toBeLessThanOrEqual(1);
    await t.close();
  });
});
