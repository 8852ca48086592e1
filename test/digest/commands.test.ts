import { parseDigestCommand, parseDigestId, type DigestCommand } from '../../src/digest/commands';

const parse = (text: string): DigestCommand => parseDigestCommand(text, 2026);

function added(text: string): Extract<DigestCommand, { kind: 'add' }> {
  const c = parse(text);
  if (c.kind !== 'add') throw new Error(`expected add, got ${JSON.stringify(c)}`);
  return c;
}

function invalid(text: string): Extract<DigestCommand, { kind: 'invalid' }> {
  const c = parse(text);
  if (c.kind !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(c)}`);
  return c;
}

describe('digest add', () => {
  it('reads the issue example: query, time, zone and cadence after it', () => {
    const c = added('add immunotherapy AND liver metastases at 07:30 tz Europe/Berlin weekdays');
    expect(c.query.text).toBe('immunotherapy AND liver metastases');
    expect(c.query.term).toBe('immunotherapy AND liver metastases');
    expect(c).toMatchObject({
      time: '07:30',
      timeZone: 'Europe/Berlin',
      cadence: 'weekdays',
      notifyEmpty: false,
    });
  });

  it('leaves unspecified options to the handler (daily 08:00 in the request zone)', () => {
    const c = added('add pembrolizumab nsclc');
    expect(c.cadence).toBeUndefined();
    expect(c.time).toBeUndefined();
    expect(c.timeZone).toBeUndefined();
  });

  it('accepts options in any order and canonicalises the zone', () => {
    const c = added('add car-t lymphoma weekly fri tz america/new_york at 6:15pm always');
    expect(c).toMatchObject({
      cadence: 'weekly',
      weekday: 5,
      timeZone: 'America/New_York',
      time: '18:15',
      notifyEmpty: true,
    });
    expect(c.query.text).toBe('car-t lymphoma');
  });

  it('keeps search filters in the query and turns them into the Entrez term', () => {
    const c = added('add immunotherapy liver metastases type:rct since:2020 at 07:30');
    expect(c.query.types).toEqual(['rct']);
    expect(c.query.since).toBe(2020);
    expect(c.query.text).toBe('immunotherapy liver metastases type:rct since:2020');
    expect(c.query.term).toBe(
      '(immunotherapy liver metastases) AND (randomized controlled trial[pt]) AND ("2020"[dp] : "3000"[dp])',
    );
  });

  it('treats "at" followed by a word as part of the query', () => {
    const c = added('add patients at risk at 07:00');
    expect(c.query.text).toBe('patients at risk');
    expect(c.time).toBe('07:00');
  });

  it('weekly alone means Monday (the handler fills it in)', () => {
    expect(added('add melanoma weekly')).toMatchObject({ cadence: 'weekly' });
    expect(added('add melanoma weekly mon').weekday).toBe(1);
  });

  it.each([
    ['add x at 25:00', '“25:00” is not a time of day.'],
    ['add x at 7:75', '“7:75” is not a time of day.'],
    ['add x at 13 pm', '“13 pm” is not a time of day.'],
  ])('refuses invalid times: %s', (text, message) => {
    const c = invalid(text);
    expect(c.message).toBe(message);
    expect(c.hint).toMatch(/24-hour/);
  });

  it('refuses unknown zones and abbreviations with a Region/City hint', () => {
    expect(invalid('add x tz Mars/Olympus')).toMatchObject({
      message: '“Mars/Olympus” is not a time zone I know.',
    });
    const est = invalid('add x tz EST');
    expect(est.message).toMatch(/abbreviation/);
    expect(est.hint).toMatch(/Europe\/Berlin/);
  });

  it('refuses an unknown weekday, options twice, a missing query and options before the query', () => {
    expect(invalid('add x weekly someday').message).toBe('“someday” is not a day of the week.');
    expect(invalid('add x at 07:00 at 08:00').message).toBe('Give the time only once.');
    expect(invalid('add at 07:30').message).toMatch(/needs a query/);
    expect(invalid('add at 07:30 immunotherapy').message).toBe('Put the schedule after the query.');
  });

  it('passes search-grammar errors through', () => {
    expect(invalid('add nsclc type:bogus').message).toMatch(/"bogus" is not a publication type/);
  });
});

describe('other digest commands', () => {
  it('list, help, and ids with or without #', () => {
    expect(parse('list')).toEqual({ kind: 'list' });
    expect(parse('')).toEqual({ kind: 'help' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('remove #12')).toEqual({ kind: 'remove', id: '12' });
    expect(parse('pause 3')).toEqual({ kind: 'pause', id: '3' });
    expect(parse('resume 007')).toEqual({ kind: 'resume', id: '7' });
  });

  it('preview takes an id or a query', () => {
    expect(parse('preview 4')).toEqual({ kind: 'preview', id: '4' });
    const q = parse('preview egfr osimertinib type:rct');
    expect(q).toMatchObject({
      kind: 'preview',
      query: { text: 'egfr osimertinib type:rct', types: ['rct'] },
    });
  });

  it('explains bad ids and unknown verbs', () => {
    expect(invalid('remove').message).toBe('“digest remove” needs a digest id.');
    expect(invalid('remove abc').message).toBe('“abc” is not a digest id.');
    expect(invalid('frobnicate 3').message).toBe('“frobnicate” is not a digest command.');
    expect(parseDigestId('#0')).toBe('0');
  });
});
