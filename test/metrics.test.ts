// The prom-client Metrics: each process's own registry (never prom-client's global one), the Prometheus text
// format, and what each port call adds. Parsed with the test's own reader (support/scrape.ts).

import { register as globalRegistry } from 'prom-client';
import { createPromMetrics } from '../src/metrics';
import { metricValue, parseSamples } from './support/scrape';

it('counts a command by platform, kind and outcome, and observes its latency in seconds', async () => {
  const prom = createPromMetrics();
  prom.metrics.command({ platform: 'slack', kind: 'search', outcome: 'answered', ms: 120 });
  prom.metrics.command({ platform: 'slack', kind: 'search', outcome: 'error', ms: 2600 });
  prom.metrics.command({ platform: 'teams', kind: 'show', outcome: 'answered', ms: 40 });
  const text = await prom.render();
  expect(metricValue(text, 'paperbot_commands_total', { platform: 'slack', kind: 'search' })).toBe(2);
  expect(metricValue(text, 'paperbot_commands_total', { outcome: 'error' })).toBe(1);
  expect(metricValue(text, 'paperbot_reply_duration_seconds_sum', { platform: 'slack' })).toBeCloseTo(2.72);
  // 2.6 s falls in the 3 s bucket, not the 2.5 s one.
  const slack = { platform: 'slack', kind: 'search' };
  expect(metricValue(text, 'paperbot_reply_duration_seconds_bucket', { ...slack, le: '2.5' })).toBe(1);
  expect(metricValue(text, 'paperbot_reply_duration_seconds_bucket', { ...slack, le: '3' })).toBe(2);
});

it('counts source attempts, and failures by code (a 429 is rate_limited)', async () => {
  const prom = createPromMetrics();
  prom.metrics.sourceRequest({ source: 'pubmed', operation: 'esearch', ms: 80 });
  prom.metrics.sourceRequest({ source: 'pubmed', operation: 'esearch', ms: 15, error: 'rate_limited' });
  prom.metrics.sourceRequest({ source: 'clinicaltrials', operation: 'study', ms: 2000, error: 'timeout' });
  const text = await prom.render();
  expect(metricValue(text, 'paperbot_source_requests_total', { source: 'pubmed' })).toBe(2);
  expect(metricValue(text, 'paperbot_source_errors_total', { source: 'pubmed', code: 'rate_limited' })).toBe(
    1,
  );
  expect(
    metricValue(text, 'paperbot_source_errors_total', { source: 'clinicaltrials', code: 'timeout' }),
  ).toBe(1);
  expect(metricValue(text, 'paperbot_source_request_duration_seconds_count')).toBe(3);
});

it('reports cache hits and misses per namespace, and the hit ratio', async () => {
  const prom = createPromMetrics();
  expect(metricValue(await prom.render(), 'paperbot_cache_hit_ratio')).toBe(0);
  for (const hit of [true, true, true, false]) prom.metrics.cacheLookup({ namespace: 'pubmed-article', hit });
  const text = await prom.render();
  expect(
    metricValue(text, 'paperbot_cache_lookups_total', { namespace: 'pubmed-article', result: 'hit' }),
  ).toBe(3);
  expect(metricValue(text, 'paperbot_cache_hit_ratio')).toBe(0.75);
});

it('counts digest runs, due slots and outcomes', async () => {
  const prom = createPromMetrics();
  prom.metrics.digestRun({ due: 0, outcomes: [] });
  prom.metrics.digestRun({
    due: 3,
    outcomes: [{ status: 'delivered' }, { status: 'delivered' }, { status: 'skipped' }],
  });
  const text = await prom.render();
  expect(metricValue(text, 'paperbot_digest_runs_total')).toBe(2);
  expect(metricValue(text, 'paperbot_digest_slots_due_total')).toBe(3);
  expect(metricValue(text, 'paperbot_digest_outcomes_total', { status: 'delivered' })).toBe(2);
});

it('keeps each registry to itself: two instances never share a count, the global registry stays empty', async () => {
  const one = createPromMetrics();
  const two = createPromMetrics();
  one.metrics.httpRequest({ route: 'slack', status: 200, ms: 3 });
  expect(
    metricValue(await one.render(), 'paperbot_http_requests_total', { route: 'slack', status: '200' }),
  ).toBe(1);
  expect(metricValue(await two.render(), 'paperbot_http_requests_total')).toBe(0);
  expect((await globalRegistry.getMetricsAsJSON()).filter((m) => m.name.startsWith('paperbot_'))).toEqual([]);
});

it('renders the text exposition format with HELP and TYPE for every family', async () => {
  const prom = createPromMetrics();
  prom.metrics.command({ platform: 'cli', kind: 'help', outcome: 'answered', ms: 1 });
  const text = await prom.render();
  expect(prom.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = new Set(parseSamples(text).map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
  for (const family of families) {
    expect(text).toContain(`# HELP ${family} `);
    expect(text).toMatch(new RegExp(`^# TYPE ${family} (counter|gauge|histogram)$`, 'm'));
  }
});
