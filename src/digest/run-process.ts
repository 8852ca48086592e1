// The second half of a run: windows → shared PubMed lookups → ledger filter → compose → record, post, record.
// Every job ends in exactly one outcome; a failure of one job never stops the others.

import { FETCH_PER_DIGEST, composeDigest } from './compose';
import { createPacer, mapLimit, type Pacer } from './concurrency';
import { fetchRecords, searchKey, searchWindows, type FetchedRecords } from './lookup';
import type { RunContext } from './run-context';
import { release, type Job } from './run-claims';
import { fail, finishEmpty, laneOf, post, type Prepared, type Ready } from './run-post';
import { digestWindow } from './window';

const LEDGER_CONCURRENCY = 16;

/** Round-robin over channels, so workers waiting out one channel's pace do not starve the others. */
function interleave(items: Ready[]): Ready[] {
  const lanes = new Map<string, Ready[]>();
  for (const item of items) {
    const lane = laneOf(item.job.sub.place);
    lanes.set(lane, [...(lanes.get(lane) ?? []), item]);
  }
  const out: Ready[] = [];
  for (let i = 0; out.length < items.length; i += 1)
    for (const lane of lanes.values()) {
      const item = lane[i];
      if (item) out.push(item);
    }
  return out;
}

async function deliverOne(ctx: RunContext, r: Ready, records: FetchedRecords, pacer: Pacer): Promise<void> {
  const { sub, slot } = r.job;
  const message = composeDigest(
    {
      subscriptionId: sub.id,
      query: sub.query,
      window: r.window,
      pmids: r.pmids,
      uncounted: r.uncounted,
      visibility: 'channel',
    },
    records,
  );
  if (!message) return fail(ctx, r, 'pubmed_unavailable');
  if (ctx.dryRun) {
    ctx.outcomes.push({
      subscriptionId: sub.id,
      slot,
      status: 'dry_run',
      count: message.digest.count,
      message,
    });
    return;
  }
  const deliverer = ctx.deps.deliverers[sub.place.platform];
  if (!deliverer) return;
  await pacer.run(laneOf(sub.place), async () => {
    if (ctx.signal?.aborted)
      ctx.outcomes.push({ subscriptionId: sub.id, slot, status: 'skipped', reason: 'stopped' });
    else await post(ctx, r, message, deliverer);
  });
}

/** Each job's failure is its own: logged, recorded as its outcome, and the run goes on. */
function guarded<T extends Prepared>(ctx: RunContext, work: (p: T) => Promise<void>) {
  return async (p: T): Promise<void> => {
    try {
      await work(p);
    } catch (err) {
      ctx.logger.error({ err, subscription: p.job.sub.id }, 'digest: run step failed');
      ctx.outcomes.push({
        subscriptionId: p.job.sub.id,
        slot: p.job.slot,
        status: 'failed',
        problem: 'store_failure',
        gaveUp: false,
      });
    }
  };
}

function claimKeeper(ctx: RunContext): (force?: boolean) => Promise<void> {
  let last = ctx.deps.clock.now();
  return async (force = false) => {
    const now = ctx.deps.clock.now();
    if (ctx.dryRun || (!force && now - last < ctx.tuning.claimTtlMs / 3)) return;
    last = now;
    await Promise.all(
      [...ctx.held].map((c) => ctx.deps.store.extendClaim(c, ctx.tuning.claimTtlMs).catch(() => false)),
    );
  };
}

/** Jobs whose platform has no Deliverer here wait, unclaimed, for a replica (or a restart) that has one. */
async function withoutDeliverer(ctx: RunContext, jobs: Job[]): Promise<Job[]> {
  if (ctx.dryRun) return jobs;
  const waiting = jobs.filter((j) => !ctx.deps.deliverers[j.sub.place.platform]);
  if (waiting.length === 0) return jobs;
  ctx.logger.warn(
    { subscriptions: waiting.length, platforms: [...new Set(waiting.map((j) => j.sub.place.platform))] },
    'digest: no deliverer for these platforms',
  );
  for (const job of waiting) {
    ctx.outcomes.push({
      subscriptionId: job.sub.id,
      slot: job.slot,
      status: 'skipped',
      reason: 'no_deliverer',
    });
    if (job.claim) await release(ctx, job.claim);
  }
  return jobs.filter((j) => !waiting.includes(j));
}

export async function processJobs(ctx: RunContext, all: Job[]): Promise<void> {
  const jobs = await withoutDeliverer(ctx, all);
  if (jobs.length === 0) return;
  const { pubmed } = ctx.deps;
  const keepAlive = claimKeeper(ctx);
  const prepared: Prepared[] = jobs.map((job, index) => {
    const { schedule, createdAt, watermark } = job.sub;
    const window = digestWindow(
      { schedule, createdAt, ...(watermark === undefined ? {} : { watermark }) },
      ctx.at,
    );
    return { index, job, window, search: { term: job.sub.query.term, from: window.from, to: window.to } };
  });
  const lookup = {
    priority: 'batch' as const,
    concurrency: ctx.tuning.searchConcurrency,
    afterEach: () => keepAlive(),
  };
  const searches = await searchWindows(
    pubmed,
    prepared.map((p) => p.search),
    lookup,
  );
  ctx.searches += searches.size;

  const ready: Ready[] = [];
  await mapLimit(
    prepared,
    LEDGER_CONCURRENCY,
    guarded(ctx, async (p) => {
      const found = searches.get(searchKey(p.search));
      if (!found?.ok) {
        ctx.logger.warn({ err: found?.error, subscription: p.job.sub.id }, 'digest: PubMed search failed');
        return fail(ctx, p, 'pubmed_unavailable');
      }
      const sent = await ctx.deps.store.sentAmong(p.job.sub.id, found.pmids);
      const pmids = found.pmids.filter((pmid) => !sent.has(pmid));
      const uncounted = Math.max(0, found.total - found.pmids.length);
      if (pmids.length + uncounted === 0 && !p.job.sub.notifyEmpty) return finishEmpty(ctx, p);
      ready.push({ ...p, pmids, uncounted });
    }),
  );

  ready.sort((a, b) => a.index - b.index);
  await keepAlive(true);
  const records = await fetchRecords(
    pubmed,
    ready.flatMap((r) => r.pmids.slice(0, FETCH_PER_DIGEST)),
    lookup,
  );
  for (const err of records.errors) ctx.logger.warn({ err }, 'digest: PubMed fetch failed');
  const pacer = createPacer(ctx.deps.clock, ctx.tuning.channelGapMs);
  await mapLimit(
    interleave(ready),
    ctx.tuning.deliveryConcurrency,
    guarded(ctx, (r) => deliverOne(ctx, r, records, pacer)),
  );
}
