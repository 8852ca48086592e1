// The digest grammar: the text after "digest" → a DigestCommand. Pure, no I/O, no defaults that need a
// request (the handler fills in the zone). Query filters are core/commands.ts's parseSearch, reused as is.

import { parseSearch } from '../core/commands';
import { toEntrezTerm } from '../pubmed/query';
import { checkTimeZone, parseTimeOfDay, parseWeekday } from './schedule';
import type { Cadence, DigestQuery } from './types';

export type DigestCommand =
  | { kind: 'help' }
  | {
      kind: 'add';
      query: DigestQuery;
      cadence?: Cadence;
      time?: string;
      timeZone?: string;
      weekday?: number;
      notifyEmpty: boolean;
    }
  | { kind: 'list' }
  | { kind: 'remove' | 'pause' | 'resume'; id: string }
  | { kind: 'preview'; id: string }
  | { kind: 'preview'; query: DigestQuery }
  | { kind: 'invalid'; message: string; hint?: string };

type Invalid = Extract<DigestCommand, { kind: 'invalid' }>;

const SCHEDULE_HINT =
  'For example: digest add immunotherapy liver metastases at 07:30 tz Europe/Berlin weekdays';
const ZONE_HINT = 'Use a Region/City name from the IANA list, like Europe/Berlin, America/New_York or UTC.';

const VERBS: Record<string, 'add' | 'list' | 'remove' | 'pause' | 'resume' | 'preview' | 'help'> = {
  add: 'add',
  new: 'add',
  subscribe: 'add',
  list: 'list',
  ls: 'list',
  remove: 'remove',
  rm: 'remove',
  delete: 'remove',
  unsubscribe: 'remove',
  pause: 'pause',
  resume: 'resume',
  unpause: 'resume',
  preview: 'preview',
  test: 'preview',
  help: 'help',
  '?': 'help',
};

function invalid(message: string, hint?: string): Invalid {
  return hint ? { kind: 'invalid', message, hint } : { kind: 'invalid', message };
}

interface Token {
  value: string;
  lower: string;
  start: number;
}

/** Whitespace-separated, a double-quoted phrase kept whole (as the search grammar does). */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /(?:"[^"]*"?|[^\s"])+/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push({ value: m[0], lower: m[0].toLowerCase(), start: m.index });
  return out;
}

/** A digest id as users type it: "12" or "#12". */
export function parseDigestId(text: string): string | undefined {
  return /^#?(\d{1,9})$/.exec(text.trim())?.[1]?.replace(/^0+(?=\d)/, '');
}

function queryOf(text: string, nowYear: number): DigestQuery | Invalid {
  const parsed = parseSearch(text, nowYear);
  if (parsed.kind === 'invalid') return parsed;
  if (parsed.kind !== 'search') return invalid('That is not a search I can follow.');
  const q = parsed.query;
  return {
    text: text.replace(/\s+/g, ' ').trim(),
    terms: q.terms,
    types: q.types,
    ...(q.since === undefined ? {} : { since: q.since }),
    ...(q.until === undefined ? {} : { until: q.until }),
    term: toEntrezTerm(q),
  };
}

const looksLikeTime = (s: string): boolean => /^\d/.test(s);

/** Schedule options are read from the end of the text, so a query may itself contain words like "at". */
function parseAdd(text: string, nowYear: number): DigestCommand {
  const tokens = tokenize(text);
  let n = tokens.length;
  const found: { cadence?: Cadence; time?: string; timeZone?: string; weekday?: number; notifyEmpty?: true } =
    {};
  const twice = (what: string): Invalid => invalid(`Give the ${what} only once.`, SCHEDULE_HINT);
  const at = (i: number): Token | undefined => (i >= 0 ? tokens[i] : undefined);

  for (;;) {
    const last = at(n - 1);
    const before = at(n - 2);
    if (!last) break;
    if (last.lower === 'daily' || last.lower === 'weekdays') {
      if (found.cadence) return twice('frequency');
      found.cadence = last.lower === 'daily' ? 'daily' : 'weekdays';
      n -= 1;
    } else if (last.lower === 'weekly') {
      if (found.cadence) return twice('frequency');
      found.cadence = 'weekly';
      n -= 1;
    } else if (before?.lower === 'weekly') {
      const weekday = parseWeekday(last.value);
      if (weekday === undefined)
        return invalid(
          `“${last.value}” is not a day of the week.`,
          'Use weekly mon, weekly tue … weekly sun.',
        );
      if (found.cadence) return twice('frequency');
      found.cadence = 'weekly';
      found.weekday = weekday;
      n -= 2;
    } else if (last.lower === 'always') {
      if (found.notifyEmpty) return twice('"always" option');
      found.notifyEmpty = true;
      n -= 1;
    } else if (before?.lower === 'tz' || before?.lower === 'timezone') {
      const zone = checkTimeZone(last.value);
      if (!zone.ok)
        return invalid(
          zone.reason === 'abbreviation'
            ? `“${last.value}” is an abbreviation, not a time zone that follows daylight saving.`
            : `“${last.value}” is not a time zone I know.`,
          ZONE_HINT,
        );
      if (found.timeZone) return twice('time zone');
      found.timeZone = zone.timeZone;
      n -= 2;
    } else {
      // "at 7:30", "at 7:30pm", "at 7 pm"
      const split = (last.lower === 'am' || last.lower === 'pm') && at(n - 3)?.lower === 'at';
      const timeText = split ? `${before?.value ?? ''}${last.lower}` : last.value;
      const atWord = split ? at(n - 3) : before;
      if (atWord?.lower !== 'at' || !looksLikeTime(timeText)) break;
      const time = parseTimeOfDay(timeText);
      if (!time.ok)
        return invalid(
          `“${split ? `${before?.value ?? ''} ${last.value}` : last.value}” is not a time of day.`,
          'Use 24-hour time, like at 07:30 or at 18:00.',
        );
      if (found.time) return twice('time');
      found.time = time.time;
      n -= split ? 3 : 2;
    }
  }

  const rest = tokens.slice(0, n);
  const misplaced = rest.findIndex(
    (t, i) =>
      (t.lower === 'at' && looksLikeTime(rest[i + 1]?.value ?? '')) ||
      t.lower === 'tz' ||
      t.lower === 'timezone',
  );
  if (misplaced !== -1) return invalid('Put the schedule after the query.', SCHEDULE_HINT);
  const end = tokens[n]?.start ?? text.length;
  const queryText = text.slice(0, end).trim();
  if (!queryText) return invalid('“digest add” needs a query to follow.', SCHEDULE_HINT);
  const query = queryOf(queryText, nowYear);
  if ('kind' in query) return query;
  return {
    kind: 'add',
    query,
    ...(found.cadence ? { cadence: found.cadence } : {}),
    ...(found.time ? { time: found.time } : {}),
    ...(found.timeZone ? { timeZone: found.timeZone } : {}),
    ...(found.weekday === undefined ? {} : { weekday: found.weekday }),
    notifyEmpty: found.notifyEmpty === true,
  };
}

function idCommand(kind: 'remove' | 'pause' | 'resume', rest: string): DigestCommand {
  if (!rest.trim())
    return invalid(
      `“digest ${kind}” needs a digest id.`,
      '“digest list” shows the ids of this channel’s digests.',
    );
  const id = parseDigestId(rest);
  if (!id)
    return invalid(
      `“${rest.trim()}” is not a digest id.`,
      '“digest list” shows the ids of this channel’s digests.',
    );
  return { kind, id };
}

/** Parses what follows "digest". `nowYear` bounds the year filters, as in searches. */
export function parseDigestCommand(input: string, nowYear: number): DigestCommand {
  const text = input.replace(/\s+/g, ' ').trim();
  if (!text) return { kind: 'help' };
  const space = text.indexOf(' ');
  const word = (space === -1 ? text : text.slice(0, space)).toLowerCase();
  const rest = space === -1 ? '' : text.slice(space + 1);
  const verb = VERBS[word];
  if (verb === undefined)
    return invalid(
      `“${word}” is not a digest command.`,
      'Use digest add, list, remove, pause, resume or preview.',
    );
  switch (verb) {
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list' };
    case 'add':
      return parseAdd(rest, nowYear);
    case 'remove':
    case 'pause':
    case 'resume':
      return idCommand(verb, rest);
    case 'preview': {
      if (!rest.trim())
        return invalid('“digest preview” needs a digest id or a query.', 'For example: digest preview 3');
      const id = parseDigestId(rest);
      if (id) return { kind: 'preview', id };
      const query = queryOf(rest, nowYear);
      return 'kind' in query ? query : { kind: 'preview', query };
    }
  }
}
