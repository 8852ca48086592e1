// The reading list's window as users type it: "this week", "last 30 days", "since 2026-11-01" (or nothing:
// the last 30 days). Pure; weeks start on Monday, in UTC.

const DAY = 24 * 3600_000;
export const DEFAULT_LIST_DAYS = 30;

/** `label` reads after "shared": "in the last 30 days", "this week (since 2026-11-30)", "since 2026-11-01". */
export type ListWindow =
  { ok: true; sinceMs: number; label: string } | { ok: false; message: string; hint: string };

const HINT = 'Use "this week", "last 30 days" or "since 2026-11-01".';

export function parseListWindow(text: string, nowMs: number): ListWindow {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '') return lastDays(DEFAULT_LIST_DAYS, nowMs);
  if (t === 'this week') {
    const today = Math.floor(nowMs / DAY) * DAY;
    const weekday = (new Date(today).getUTCDay() + 6) % 7;
    const since = today - weekday * DAY;
    return { ok: true, sinceMs: since, label: `this week (since ${iso(since)})` };
  }
  const last = /^last (\d{1,4}) days?$/.exec(t);
  if (last) {
    const days = Number(last[1]);
    if (days < 1) return { ok: false, message: 'The window needs at least one day.', hint: HINT };
    return lastDays(days, nowMs);
  }
  const since = /^since (\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (since) {
    const ms = Date.UTC(Number(since[1]), Number(since[2]) - 1, Number(since[3]));
    if (Number.isNaN(ms) || iso(ms) !== `${since[1]}-${since[2]}-${since[3]}`)
      return { ok: false, message: `${t.slice(6)} is not a date.`, hint: HINT };
    if (ms > nowMs) return { ok: false, message: `${t.slice(6)} is in the future.`, hint: HINT };
    return { ok: true, sinceMs: ms, label: `since ${iso(ms)}` };
  }
  return { ok: false, message: `"${text.trim()}" is not a window I know.`, hint: HINT };
}

function lastDays(days: number, nowMs: number): ListWindow {
  return { ok: true, sinceMs: nowMs - days * DAY, label: `in the last ${days} day${days === 1 ? '' : 's'}` };
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
