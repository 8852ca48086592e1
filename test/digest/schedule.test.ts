import { dueSlot } from '../../src/digest/due';
import {
  checkTimeZone,
  describeSchedule,
  formatInZone,
  latestSlot,
  nextSlot,
  parseTimeOfDay,
} from '../../src/digest/schedule';
import type { Schedule, Subscription } from '../../src/digest/types';
import { digestWindow, entrezDay, pubmedWindowUrl } from '../../src/digest/window';

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);

const NY: Schedule = { cadence: 'daily', time: '07:30', timeZone: 'America/New_York' };
const BERLIN: Schedule = { cadence: 'daily', time: '07:30', timeZone: 'Europe/Berlin' };

describe('slots across daylight-saving switches', () => {
  // US 2026: clocks spring forward on Sun 8 Mar and fall back on Sun 1 Nov. EU: Sun 29 Mar and Sun 25 Oct.
  it('New York 07:30 moves from 12:30Z (EST) to 11:30Z (EDT) on the spring switch day, once a day', () => {
    const slots = [at('2026-03-07T00:00:00Z'), at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z')].map(
      (d) => iso(nextSlot(NY, d)),
    );
    expect(slots).toEqual([
      '2026-03-07T12:30:00.000Z',
      '2026-03-08T11:30:00.000Z',
      '2026-03-09T11:30:00.000Z',
    ]);
  });

  it('New York 07:30 moves back to 12:30Z on the autumn switch day', () => {
    expect(iso(nextSlot(NY, at('2026-10-31T00:00:00Z')))).toBe('2026-10-31T11:30:00.000Z');
    expect(iso(nextSlot(NY, at('2026-11-01T00:00:00Z')))).toBe('2026-11-01T12:30:00.000Z');
  });

  it('Berlin 07:30 is 06:30Z (CET) before and 05:30Z (CEST) from the spring switch day', () => {
    expect(iso(nextSlot(BERLIN, at('2026-03-28T00:00:00Z')))).toBe('2026-03-28T06:30:00.000Z');
    expect(iso(nextSlot(BERLIN, at('2026-03-29T00:00:00Z')))).toBe('2026-03-29T05:30:00.000Z');
    expect(iso(nextSlot(BERLIN, at('2026-10-25T00:00:00Z')))).toBe('2026-10-25T06:30:00.000Z');
  });

  it('a time the spring switch skips (02:30 in New York) still runs once that day, at 03:00 local', () => {
    const s: Schedule = { ...NY, time: '02:30' };
    expect(iso(nextSlot(s, at('2026-03-08T00:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(nextSlot(s, at('2026-03-08T07:00:00Z')))).toBe('2026-03-09T06:30:00.000Z');
  });

  it('latestSlot includes a slot exactly at the given instant, not a minute before', () => {
    expect(iso(latestSlot(BERLIN, at('2026-03-29T05:30:00Z')))).toBe('2026-03-29T05:30:00.000Z');
    expect(iso(latestSlot(BERLIN, at('2026-03-29T05:29:59.999Z')))).toBe('2026-03-28T06:30:00.000Z');
  });

  it('weekdays skip the weekend; weekly runs on its day', () => {
    const weekdays: Schedule = { ...BERLIN, cadence: 'weekdays' };
    // Fri 27 Mar 2026 → next is Mon 30 Mar.
    expect(iso(nextSlot(weekdays, at('2026-03-27T12:00:00Z')))).toBe('2026-03-30T05:30:00.000Z');
    const weekly: Schedule = { ...BERLIN, cadence: 'weekly', weekday: 3 };
    expect(iso(nextSlot(weekly, at('2026-03-27T12:00:00Z')))).toBe('2026-04-01T05:30:00.000Z');
  });
});

describe('due slots', () => {
  const sub = (over: Partial<Subscription>): Subscription => ({
    id: '1',
    place: { platform: 'slack', channel: 'C1' },
    createdBy: { id: 'U1' },
    createdAt: at('2026-03-01T00:00:00Z'),
    query: { text: 'x', terms: 'x', types: [], term: 'x' },
    schedule: BERLIN,
    notifyEmpty: false,
    ...over,
  });

  it('after three missed days only the latest slot is due (one digest covers them)', () => {
    const s = sub({ lastSlot: at('2026-03-10T06:30:00Z'), watermark: at('2026-03-10T06:30:00Z') });
    expect(iso(dueSlot(s, at('2026-03-14T09:00:00Z')))).toBe('2026-03-14T06:30:00.000Z');
    expect(
      digestWindow({ schedule: s.schedule, watermark: s.watermark as number }, at('2026-03-14T09:00:00Z')),
    ).toMatchObject({
      from: '2026/03/10',
      to: '2026/03/14',
    });
  });

  it('nothing is due before the first slot after creation, while paused, or during a retry back-off', () => {
    expect(
      dueSlot(sub({ createdAt: at('2026-03-14T07:00:00Z') }), at('2026-03-14T09:00:00Z')),
    ).toBeUndefined();
    expect(dueSlot(sub({ paused: { at: 0, by: 'user' } }), at('2026-03-14T09:00:00Z'))).toBeUndefined();
    expect(dueSlot(sub({ retryAt: at('2026-03-14T09:30:00Z') }), at('2026-03-14T09:00:00Z'))).toBeUndefined();
    expect(
      dueSlot(sub({ lastSlot: at('2026-03-14T06:30:00Z') }), at('2026-03-14T09:00:00Z')),
    ).toBeUndefined();
  });

  it('--now makes the current minute a slot', () => {
    expect(iso(dueSlot(sub({}), at('2026-03-14T09:00:42Z'), true))).toBe('2026-03-14T09:00:00.000Z');
  });
});

describe('Entrez windows', () => {
  it('uses PubMed’s US Eastern calendar day', () => {
    // 03:00Z is still the previous evening in New York.
    expect(entrezDay(at('2026-03-14T03:00:00Z'))).toBe('2026/03/13');
    expect(entrezDay(at('2026-03-14T05:00:00Z'))).toBe('2026/03/14');
  });

  it('a first run that comes late (downtime) still covers the day before the first slot', () => {
    // Created at 05:00Z; the first slot (06:30Z, 07:30 Berlin) is missed; the service is back two days later.
    const window = digestWindow(
      { schedule: BERLIN, createdAt: at('2026-03-12T05:00:00Z') },
      at('2026-03-14T09:00:00Z'),
    );
    expect(window).toMatchObject({ from: '2026/03/11', to: '2026/03/14' });
  });

  it('a first run looks back a day, or a week for weekly digests', () => {
    const now = at('2026-03-14T06:30:00Z');
    expect(digestWindow({ schedule: BERLIN }, now)).toMatchObject({ from: '2026/03/13', to: '2026/03/14' });
    expect(digestWindow({ schedule: { ...BERLIN, cadence: 'weekly', weekday: 6 } }, now)).toMatchObject({
      from: '2026/03/07',
    });
  });

  it('links the window as an [edat] range on the PubMed website', () => {
    const url = pubmedWindowUrl('immunotherapy AND liver metastases', {
      from: '2026/03/13',
      to: '2026/03/14',
    });
    expect(decodeURIComponent(url.split('term=')[1]?.split('&')[0] ?? '')).toBe(
      '(immunotherapy AND liver metastases) AND ("2026/03/13"[edat] : "2026/03/14"[edat])',
    );
    expect(url.startsWith('https://pubmed.ncbi.nlm.nih.gov/?term=')).toBe(true);
  });
});

describe('time zones and times', () => {
  it('canonicalises IANA names and refuses the rest', () => {
    expect(checkTimeZone('europe/berlin')).toEqual({ ok: true, timeZone: 'Europe/Berlin' });
    expect(checkTimeZone('utc')).toEqual({ ok: true, timeZone: 'UTC' });
    expect(checkTimeZone('Nowhere/Town')).toEqual({ ok: false, reason: 'unknown' });
    expect(checkTimeZone('CET')).toEqual({ ok: false, reason: 'abbreviation' });
  });

  it('reads 24-hour and am/pm times', () => {
    expect(parseTimeOfDay('7')).toEqual({ ok: true, time: '07:00' });
    expect(parseTimeOfDay('19h30')).toEqual({ ok: true, time: '19:30' });
    expect(parseTimeOfDay('12am')).toEqual({ ok: true, time: '00:00' });
    expect(parseTimeOfDay('24:00')).toEqual({ ok: false });
  });

  it('describes schedules and times for people', () => {
    expect(describeSchedule({ ...BERLIN, cadence: 'weekdays' })).toBe(
      'every weekday (Mon–Fri) at 07:30 (Europe/Berlin)',
    );
    expect(formatInZone(at('2026-03-30T05:30:00Z'), 'Europe/Berlin')).toBe('Mon 30 Mar 2026, 07:30 CEST');
  });
});
