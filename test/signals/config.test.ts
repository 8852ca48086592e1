// Signal settings: the default base URLs, `off` per service, Unpaywall's required e-mail (its own
// or NCBI's, else off and said once), the deadline's bounds, and one clear line for a bad value.

import { createCacheStore } from '../../src/cache/store';
import { loadConfig, SIGNALS_DEADLINE_DEFAULT_MS } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { noMetrics } from '../../src/core/metrics';
import { buildSignals } from '../../src/signals';
import { recordingLogger } from '../support/recording-logger';

const base = { PAPERBOT_DATA_DIR: '/tmp/paperbot-config-test' };

it('turns every service on by default, at its public address', () => {
  const { signals } = loadConfig({ ...base, NCBI_EMAIL: 'a@example.org' });
  expect(signals).toEqual({
    europepmc: { baseUrl: 'https://www.ebi.ac.uk/europepmc/webservices/rest' },
    unpaywall: { baseUrl: 'https://api.unpaywall.org/v2', email: 'a@example.org' },
    crossref: { baseUrl: 'https://api.crossref.org', mailto: 'a@example.org' },
    deadlineMs: SIGNALS_DEADLINE_DEFAULT_MS,
  });
});

it('`off` (any case) turns one service off', () => {
  const { signals } = loadConfig({
    ...base,
    EUROPEPMC_API_URL: 'off',
    UNPAYWALL_API_URL: 'OFF',
    CROSSREF_API_URL: 'http://127.0.0.1:9/',
  });
  expect(signals.europepmc).toBeUndefined();
  expect(signals.unpaywall).toBeUndefined();
  expect(signals.unpaywallOff).toBeUndefined();
  expect(signals.crossref).toEqual({ baseUrl: 'http://127.0.0.1:9' });
});

it('Unpaywall takes UNPAYWALL_EMAIL over NCBI_EMAIL, and is off (with the reason) without either', () => {
  expect(
    loadConfig({ ...base, NCBI_EMAIL: 'a@example.org', UNPAYWALL_EMAIL: 'b@example.org' }).signals.unpaywall
      ?.email,
  ).toBe('b@example.org');
  const none = loadConfig(base).signals;
  expect(none.unpaywall).toBeUndefined();
  expect(none.unpaywallOff).toBe('no-email');
  expect(none.crossref).toEqual({ baseUrl: 'https://api.crossref.org' });
});

it('bounds the deadline and names a bad value', () => {
  expect(loadConfig({ ...base, PAPERBOT_SIGNALS_DEADLINE_MS: '250' }).signals.deadlineMs).toBe(250);
  expect(() => loadConfig({ ...base, PAPERBOT_SIGNALS_DEADLINE_MS: '10' })).toThrow(
    /PAPERBOT_SIGNALS_DEADLINE_MS/,
  );
  expect(() => loadConfig({ ...base, CROSSREF_API_URL: 'ftp://x' })).toThrow(/CROSSREF_API_URL/);
});

it('says once, at info, why Unpaywall is off, and builds nothing for services that are off', async () => {
  const logger = recordingLogger();
  const { signals } = loadConfig({ ...base, EUROPEPMC_API_URL: 'off', CROSSREF_API_URL: 'off' });
  const budgets: string[] = [];
  const store = await createCacheStore({ kind: 'memory' });
  const built = await buildSignals(signals, {
    budget: (name) => {
      budgets.push(name);
      return Promise.reject(new Error('no budget should be made'));
    },
    cache: { store, clock: systemClock },
    clock: systemClock,
    logger,
    metrics: noMetrics,
  });
  await store.close();
  expect(built).toEqual({ budgets: [] });
  expect(budgets).toEqual([]);
  expect(logger.lines).toEqual([
    expect.objectContaining({ level: 'info', msg: expect.stringContaining('Unpaywall is off') }),
  ]);
});
