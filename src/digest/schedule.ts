// Schedules as time arithmetic: time-zone validation, the cron pattern of a schedule, and its slots
// (croner, DST-correct). Pure: no timers are started here; when to wake up is ./scheduler.ts's.

import { Cron } from 'croner';
import type { Schedule } from './types';

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const UNIVERSAL = new Set(['UTC', 'GMT', 'ETC/UTC', 'ETC/GMT']);

export type ZoneCheck = { ok: true; timeZone: string } | { ok: false; reason: 'unknown' | 'abbreviation' };

/** The canonical IANA name of `input` ("europe/berlin" → "Europe/Berlin"), checked with Intl. */
export function checkTimeZone(input: string): ZoneCheck {
  const raw = input.trim();
  if (!raw || raw.length > 64) return { ok: false, reason: 'unknown' };
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return { ok: false, reason: 'unknown' };
  }
  if (UNIVERSAL.has(raw.toUpperCase()) || resolved === 'UTC') return { ok: true, timeZone: 'UTC' };
  // Names without a region pass Intl but mislead: "EST" is a fixed −5 all summer (ICU maps it to Panama),
  // "CET" is not what Lisbon or London use. Ask for Region/City instead.
  if (!raw.includes('/')) return { ok: false, reason: 'abbreviation' };
  return { ok: true, timeZone: resolved };
}

/** "7", "7:30", "07.30", "19h30", "7:30pm" → "HH:MM" (24 h); anything else is not a time of day. */
export function parseTimeOfDay(input: string): { ok: true; time: string } | { ok: false } {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(input.trim());
  if (!m) return { ok: false };
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.toLowerCase().replace(/\./g, '');
  if (minute > 59) return { ok: false };
  if (half) {
    if (hour < 1 || hour > 12) return { ok: false };
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) return { ok: false };
  return { ok: true, time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

const DAY_WORDS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

/** "mon", "Monday", "mondays", "Tue." → 0–6 (Sunday = 0). */
export function parseWeekday(input: string): number | undefined {
  const word = input.trim().toLowerCase().replace(/\.$/, '');
  return DAY_WORDS[word] ?? DAY_WORDS[word.replace(/s$/, '')];
}

export function cronPattern(schedule: Schedule): string {
  const [hour, minute] = schedule.time.split(':').map(Number);
  const days =
    schedule.cadence === 'weekdays'
      ? '1-5'
      : schedule.cadence === 'weekly'
        ? String(schedule.weekday ?? 1)
        : '*';
  return `${minute ?? 0} ${hour ?? 0} * * ${days}`;
}

/** A croner job used only for its calendar arithmetic: created without a function, it never starts a timer. */
function calendar(schedule: Schedule): Cron {
  return new Cron(cronPattern(schedule), { timezone: schedule.timeZone });
}

/** The first slot strictly after `afterMs` (epoch ms). */
export function nextSlot(schedule: Schedule, afterMs: number): number {
  const next = calendar(schedule).nextRun(new Date(afterMs));
  if (!next) throw new Error(`schedule ${cronPattern(schedule)} has no next run`);
  return next.getTime();
}

/** The latest slot at or before `atMs`, if any within the last two weeks (every schedule fires weekly). */
export function latestSlot(schedule: Schedule, atMs: number): number | undefined {
  // previousRuns excludes a run exactly at the reference, and slots fall on whole minutes: look from just after.
  const [previous] = calendar(schedule).previousRuns(1, new Date(Math.floor(atMs / 1000) * 1000 + 1000));
  return previous === undefined ? undefined : previous.getTime();
}

/** How far back a first run looks: a day, or a week for weekly digests. */
export function firstWindowMs(schedule: Schedule): number {
  return (schedule.cadence === 'weekly' ? 7 : 1) * 24 * 3_600_000;
}

/** "every weekday at 07:30 (Europe/Berlin)". */
export function describeSchedule(schedule: Schedule): string {
  const when =
    schedule.cadence === 'daily'
      ? 'every day'
      : schedule.cadence === 'weekdays'
        ? 'every weekday (Mon–Fri)'
        : `every ${WEEKDAY_NAMES[schedule.weekday ?? 1]}`;
  return `${when} at ${schedule.time} (${schedule.timeZone})`;
}

/** The zone's short name at that instant: "EDT", "CEST"; an offset ("GMT+9") where no locale has a name. */
function zoneName(atMs: number, timeZone: string): string {
  let name = '';
  // en-US knows American abbreviations, en-GB the European ones; neither knows both.
  for (const locale of ['en-US', 'en-GB']) {
    name =
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
        .formatToParts(new Date(atMs))
        .find((p) => p.type === 'timeZoneName')?.value ?? name;
    if (!/^(GMT|UTC)[+-]/.test(name)) return name;
  }
  return name;
}

/** "Mon 30 Nov 2026, 07:30 CET" in the given zone. */
export function formatInZone(atMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(atMs));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')} ${zoneName(atMs, timeZone)}`;
}
