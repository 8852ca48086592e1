// Durable Teams state: conversation references (where a proactive post goes) and the idempotency keys of
// proactive posts made, in the process's DurableStore (SQLite file or Redis, the composition root's choice).

import type { ConversationReference } from '@microsoft/agents-activity';
import type { Clock } from '../../src/core/clock';
import { PaperbotError } from '../../src/core/errors';
import type { DurableStore } from '../../src/core/store';
import { teamsKeys } from '../../src/store/keys';

export interface ReferenceStore {
  readonly kind: DurableStore['kind'];
  /** Keeps (or replaces) the reference for a conversation key (see incoming.ts conversationKey). */
  save(key: string, reference: ConversationReference): Promise<void>;
  get(key: string): Promise<ConversationReference | undefined>;
  remove(key: string): Promise<void>;
  /** Notes a proactive post that Teams accepted, so a digest retried after a crash is not posted twice. */
  recordSent(key: string, idempotencyKey: string, at: number): Promise<void>;
  /** Idempotency keys recorded for `key` at or after `sinceMs`. */
  sentSince(key: string, sinceMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Where a person's personal chat with the bot is also kept, for private notices to them. Teams user ids
 * ("29:…") never look like conversation keys ("a:…", "19:…"), and the prefix keeps them apart anyway.
 */
export const personalKey = (userId: string): string => `personal:${userId}`;

/** Sent keys older than this are dropped: crash reconciliation looks back hours, not months. */
const SENT_RETENTION_MS = 30 * 24 * 3600 * 1000;

interface Stored {
  reference: ConversationReference;
  savedAt: number;
}

/** A stored value we can post with: anything else (a hand edit, an old format) counts as absent. */
function valid(stored: unknown): ConversationReference | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const ref = (stored as Partial<Stored>).reference;
  if (ref && typeof ref.serviceUrl === 'string' && typeof ref.conversation?.id === 'string') return ref;
  return undefined;
}

function storeError(operation: string, cause: unknown): PaperbotError {
  return new PaperbotError('store_failure', `teams references: ${operation} failed`, {
    cause,
    retryable: true,
  });
}

/** References on the process's shared store; closing this leaves the store to the composition root. */
export function createReferenceStore(store: DurableStore, clock: Clock): ReferenceStore {
  const wrap = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw storeError(operation, error);
    }
  };
  return {
    kind: store.kind,
    save: (key, reference) =>
      wrap('save', () =>
        store.set(teamsKeys.reference(key), { reference, savedAt: clock.now() } satisfies Stored),
      ),
    get: (key) => wrap('get', async () => valid(await store.get<unknown>(teamsKeys.reference(key)))),
    remove: (key) => wrap('remove', () => store.delete(teamsKeys.reference(key))),
    recordSent: (key, idempotencyKey, at) =>
      wrap('recordSent', async () => {
        // A commit, so the record survives a power cut: it is what stops a retried digest posting twice.
        await store.commit(
          [],
          [
            { op: 'addOrdered', key: teamsKeys.sent(key), member: idempotencyKey, score: at },
            { op: 'trimOrdered', key: teamsKeys.sent(key), below: at - SENT_RETENTION_MS },
          ],
        );
      }),
    sentSince: (key, sinceMs) => wrap('sentSince', () => store.members(teamsKeys.sent(key), sinceMs)),
    close: async () => undefined,
  };
}
