// Moves what the earlier per-feature stores hold (digests, Slack installations, Teams references) into the
// DurableStore, once. Reading the old formats is ./migrate-sqlite.ts's and ./migrate-redis.ts's.

import type { DurableStore, StoreWrite } from '../core/store';
import type { SubscriptionRecord } from '../digest/store-durable';
import { RUN_KEEP_MS } from '../digest/store-effects';
import { digestKeys, slackInstallationKey, teamsKeys } from './keys';

/** Everything one old store held, in the shapes the new keys take. */
export interface LegacyData {
  subscriptions: { id: string; record: SubscriptionRecord }[];
  ledger: { id: string; pmid: string; sentAt: number }[];
  runs: { id: string; slot: number; record: unknown }[];
  installations: { key: string; installation: unknown }[];
  /** The stored value as it was: `{ reference, savedAt }`. */
  references: { key: string; value: unknown }[];
  sent: { key: string; idempotencyKey: string; at: number }[];
}

export const emptyLegacy = (): LegacyData => ({
  subscriptions: [],
  ledger: [],
  runs: [],
  installations: [],
  references: [],
  sent: [],
});

export const countLegacy = (data: LegacyData): number =>
  Object.values(data).reduce((sum: number, rows: unknown[]) => sum + rows.length, 0);

/** Writes in batches, so a large ledger is neither one giant transaction nor one round trip per PMID. */
const BATCH = 500;

/**
 * Writes `data` under the new keys. Idempotent (sets, score-raising adds, a sequence only ever raised), so a
 * migration interrupted half-way is simply run again on the next start.
 */
export async function writeLegacy(store: DurableStore, data: LegacyData): Promise<void> {
  const writes: StoreWrite[] = [];
  for (const { id, record } of data.subscriptions) {
    writes.push(
      { op: 'set', key: digestKeys.sub(id), value: record },
      { op: 'addOrdered', key: digestKeys.all, member: id, score: Number(id) },
      { op: 'addOrdered', key: digestKeys.channel(record.definition.place), member: id, score: Number(id) },
    );
  }
  for (const { id, pmid, sentAt } of data.ledger)
    writes.push({ op: 'addOrdered', key: digestKeys.ledger(id), member: pmid, score: sentAt });
  for (const { id, slot, record } of data.runs)
    writes.push({ op: 'set', key: digestKeys.run(id, slot), value: record, ttlMs: RUN_KEEP_MS });
  for (const { key, installation } of data.installations)
    writes.push({ op: 'set', key: slackInstallationKey(key), value: installation });
  for (const { key, value } of data.references)
    writes.push({ op: 'set', key: teamsKeys.reference(key), value });
  for (const { key, idempotencyKey, at } of data.sent)
    writes.push({ op: 'addOrdered', key: teamsKeys.sent(key), member: idempotencyKey, score: at });
  for (let start = 0; start < writes.length; start += BATCH)
    await store.commit([], writes.slice(start, start + BATCH));
  await raiseSequence(store, data.subscriptions);
}

/** Ids are never reused: the new sequence starts after the highest migrated id. */
async function raiseSequence(store: DurableStore, subscriptions: LegacyData['subscriptions']): Promise<void> {
  const highest = subscriptions.reduce((max, { id }) => Math.max(max, Number(id)), 0);
  if (highest === 0) return;
  for (;;) {
    const seq = await store.get<number>(digestKeys.seq);
    if ((seq ?? 0) >= highest) return;
    if (await store.compareAndSet(digestKeys.seq, seq, highest)) return;
  }
}
