// The process the crash test kills: it runs the daily digest for simulated days, one after another, against
// the digest SQLite file, the fake E-utilities and the test's chat stand-in, printing "done <day>" after each.
// Usage: node -r @swc-node/register test/digest/crash-child.ts '<json options>'

import { Agent, request } from 'undici';
import type { Deliverer } from '../../src/core/deliverer';
import { silentLogger } from '../../src/core/logger';
import { runDueDigests } from '../../src/digest/run';
import { openDigestStore } from '../../src/digest/store';
import { startPubmed, wallClock } from './support';

export interface ChildOptions {
  db: string;
  eutilsUrl: string;
  chatUrl: string;
  /** Epoch ms of each simulated day's run, by day index. */
  runAt: number[];
  firstDay: number;
  lastDay: number;
  /** Added to each run time (a restart happens later than the scheduled run). */
  delayMs: number;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
  const clock = wallClock(o.runAt[o.firstDay] ?? 0);
  const store = await openDigestStore({ kind: 'sqlite', path: o.db }, { clock, logger: silentLogger });
  const pubmed = await startPubmed(o.eutilsUrl, 10);
  const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });

  const chat: Deliverer = {
    platform: 'slack',
    async deliver(target, message, { idempotencyKey }) {
      const body = JSON.stringify({
        channel: target.channel,
        key: idempotencyKey,
        at: clock.now(),
        subscriptionId: message.digest?.subscriptionId,
        pmids: message.digest?.entries.map((e) => e.pmid) ?? [],
        count: message.digest?.count ?? 0,
      });
      const res = await request(`${o.chatUrl}/post`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
      });
      const answer = (await res.body.json()) as { id: string };
      return { ok: true, messageId: answer.id };
    },
    async recentKeys(target, sinceMs) {
      const res = await request(
        `${o.chatUrl}/recent?channel=${encodeURIComponent(target.channel)}&since=${sinceMs}`,
        { dispatcher: agent },
      );
      return (await res.body.json()) as string[];
    },
  };

  process.stdout.write('ready\n');
  for (let day = o.firstDay; day <= o.lastDay; day += 1) {
    clock.set((o.runAt[day] ?? 0) + (day === o.firstDay ? o.delayMs : 0));
    const report = await runDueDigests({
      store,
      pubmed: pubmed.service,
      deliverers: { slack: chat },
      clock,
      logger: silentLogger,
    });
    const statuses = report.outcomes.map((x) => x.status);
    process.stdout.write(`done ${day} ${JSON.stringify(statuses)}\n`);
  }
  await store.close();
  await pubmed.close();
  await agent.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
