// A board's search as ClinicalTrials.gov API v2 parameters: the exact strings sent, and bad values refused
// before they cost a request.

import { buildSearchParams } from '../../src/clinicaltrials/query';
import { PaperbotError } from '../../src/core/errors';

const params = (search: Parameters<typeof buildSearchParams>[0]): Record<string, string> =>
  Object.fromEntries(buildSearchParams(search).entries());

it('sends a radius in the pattern the API takes: fixed decimals, no spaces, no exponent', () => {
  expect(
    params({ near: { point: { lat: 1e-7, lon: -71.0702 }, radius: { value: 30, unit: 'mi' } }, pageSize: 5 })[
      'filter.geo'
    ],
  ).toBe('distance(0.000000,-71.070200,30mi)');
  expect(
    params({
      near: { point: { lat: 45.764, lon: 4.8357 }, radius: { value: 12.345, unit: 'km' } },
      pageSize: 5,
    })['filter.geo'],
  ).toMatch(/^distance\(-?\d+(\.\d+)?,-?\d+(\.\d+)?,\d+(\.\d+)?(km|mi)?\)$/);
});

it('sends a place to query.locn and ranks by relevance only when there are words', () => {
  expect(params({ cond: 'melanoma', place: 'Lyon', pageSize: 5 })).toMatchObject({
    'query.cond': 'melanoma',
    'query.locn': 'Lyon',
    sort: '@relevance',
  });
  expect(params({ place: 'Lyon', pageSize: 5 }).sort).toBeUndefined();
});

it('joins phase, age and sex in one filter.advanced, each part bracketed', () => {
  expect(params({ phase: ['PHASE2', 'PHASE3'], sex: 'MALE', pageSize: 5 })['filter.advanced']).toBe(
    '(AREA[Phase](PHASE2 OR PHASE3)) AND (AREA[Sex](MALE OR ALL))',
  );
  expect(params({ age: 70, pageSize: 5 })['filter.advanced']).toBe(
    '(AREA[MinimumAge]RANGE[MIN, 70 years] OR AREA[MinimumAge]MISSING) AND ' +
      '(AREA[MaximumAge]RANGE[70 years, MAX] OR AREA[MaximumAge]MISSING)',
  );
});

it.each([
  [{ near: { point: { lat: 95, lon: 0 }, radius: { value: 10, unit: 'km' as const } }, pageSize: 5 }],
  [{ near: { point: { lat: 0, lon: 0 }, radius: { value: 0, unit: 'km' as const } }, pageSize: 5 }],
  [{ age: -1, pageSize: 5 }],
  [{ age: 3.5, pageSize: 5 }],
])('refuses %j before any request', (search) => {
  expect(() => buildSearchParams(search)).toThrow(PaperbotError);
});
