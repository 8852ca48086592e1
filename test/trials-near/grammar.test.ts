// `trial search` and `site` as typed (and as buttons carry them): filters, defaults, friendly refusals,
// and the "more" cursor keeping every filter. Pure: no I/O.

import { parseCommand, type Command } from '../../src/core/commands';
import { decodeCursor, encodeCursor } from '../../src/core/cursor';
import type { TrialSearchRequest } from '../../src/core/trial-search';

const parse = (text: string): Command => parseCommand(text, 2026);

function request(text: string): TrialSearchRequest {
  const command = parse(text);
  if (command.kind !== 'trial-search')
    throw new Error(`expected a trial search, got ${JSON.stringify(command)}`);
  return command.request;
}

function refusal(text: string): { message: string; hint?: string } {
  const command = parse(text);
  if (command.kind !== 'invalid') throw new Error(`expected a refusal, got ${JSON.stringify(command)}`);
  return command;
}

describe('trial search', () => {
  it('maps words, cond:, drug:, phase:, near: coordinates, within:, age: and sex:', () => {
    expect(
      request(
        'trial search "EGFR L858R" cond:"non-small cell lung cancer" drug:osimertinib phase:3 near:48.8414,2.3400 within:30mi age:64 sex:female',
      ),
    ).toEqual({
      search: {
        term: '"EGFR L858R"',
        cond: 'non-small cell lung cancer',
        intr: 'osimertinib',
        phase: ['PHASE3'],
        age: 64,
        sex: 'FEMALE',
        status: ['RECRUITING', 'NOT_YET_RECRUITING'],
        pageSize: 5,
      },
      near: { kind: 'point', point: { lat: 48.8414, lon: 2.34 } },
      within: { value: 30, unit: 'mi' },
    });
  });

  it('defaults to recruiting and not yet recruiting; status:any lifts it, other words keep their trial meaning', () => {
    expect(request('trial search "KRAS G12C" cond:colorectal').search.status).toEqual([
      'RECRUITING',
      'NOT_YET_RECRUITING',
    ]);
    expect(request('trial search "KRAS G12C" status:any').search.status).toBeUndefined();
    expect(request('trial search "KRAS G12C" status:active').search.status).toEqual([
      'ACTIVE_NOT_RECRUITING',
    ]);
    expect(request('trial search "KRAS G12C" status:recruiting').search.status).toEqual(['RECRUITING']);
  });

  it('takes a filter alone, near:here, and a city name for the registry to match', () => {
    expect(request('trial search cond:"liver metastases" near:here')).toMatchObject({
      search: { cond: 'liver metastases' },
      near: { kind: 'here' },
    });
    expect(request('trial search cond:melanoma near:"Lyon"').near).toEqual({ kind: 'place', text: 'Lyon' });
    expect(request('trial search cond:melanoma near:-33.8688,151.2093').near).toEqual({
      kind: 'point',
      point: { lat: -33.8688, lon: 151.2093 },
    });
  });

  it.each([
    ['trial search nsclc phase:5', /"5" is not a phase/],
    ['trial search nsclc status:open-ish', /not a trial status/],
    ['trial search nsclc near:91.5,2.3', /not coordinates I can read/],
    ['trial search nsclc near:48.8,', /not coordinates I can read/],
    ['trial search nsclc within:50km', /within: needs near:/],
    ['trial search nsclc near:Lyon within:50km', /by name, so no radius/],
    ['trial search nsclc near:here within:50 leagues', /not a distance/],
    ['trial search nsclc near:here within:0km', /not a distance/],
    ['trial search nsclc age:sixty', /whole years/],
    ['trial search nsclc age:130', /whole years/],
    ['trial search nsclc sex:other', /not a sex filter/],
    ['trial search phase:3 near:here', /Say what to search for/],
    ['trial search', /Say what to search for/],
  ])('%s is refused with a sentence, not a search', (text, message) => {
    expect(refusal(text).message).toMatch(message);
  });

  it('leaves plain `trial <text>` as it was', () => {
    expect(parse('trial pembrolizumab nsclc status:recruiting')).toEqual({
      kind: 'trial',
      text: 'pembrolizumab nsclc status:recruiting',
    });
  });

  it('keeps every filter, the radius and the page token across "more"', () => {
    const { search } = request('trial search "EGFR" cond:lung drug:osimertinib age:70 sex:male phase:2/3');
    const withNear = {
      ...search,
      near: { point: { lat: 45.764, lon: 4.8357 }, radius: { value: 30, unit: 'mi' as const } },
      place: 'Lyon',
      pageToken: 'NF0g5JGBlPMuwQY',
    };
    const back = decodeCursor(encodeCursor({ kind: 'trials', search: withNear, start: 5 }));
    expect(back).toEqual({ kind: 'trials', search: withNear, start: 5 });
  });
});

describe('site', () => {
  it('shows, sets and clears', () => {
    expect(parse('site')).toEqual({ kind: 'site', action: { kind: 'show' } });
    expect(parse('site clear')).toEqual({ kind: 'site', action: { kind: 'clear' } });
    expect(parse('site set 48.8414, 2.3400  Institut Curie, Paris')).toEqual({
      kind: 'site',
      action: { kind: 'set', site: { point: { lat: 48.8414, lon: 2.34 }, name: 'Institut Curie, Paris' } },
    });
  });

  it.each([
    ['site set Institut Curie', /latitude,longitude/],
    ['site set 48.8414,2.3400', /Give the site a name/],
    ['site set 95,2.34 North', /latitude,longitude/],
    ['site move 1,2 x', /is not something I can do/],
  ])('%s is refused with what to type', (text, message) => {
    expect(refusal(text).message).toMatch(message);
  });
});
