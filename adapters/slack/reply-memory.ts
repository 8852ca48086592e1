// Recent private replies by message key, so "Abstract" can expand a card in place in the list it came from.
// Bounded and per process: a miss (restart, another replica, evicted) only means the card opens below.

import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/core/clock';
import type { Reply } from '../../src/core/reply';

export interface ReplyMemory {
  /** Stores a reply and returns the key to put in its block ids. */
  remember(reply: Reply): string;
  recall(key: string): Reply | undefined;
  replace(key: string, reply: Reply): void;
  readonly size: number;
}

export interface ReplyMemoryOptions {
  clock: Clock;
  /** Slack lets a response_url be used for 30 minutes; older messages cannot be replaced anyway. */
  ttlMs?: number;
  capacity?: number;
}

/** Summary cards never show their abstract or MeSH terms, so the copy kept for re-rendering drops them. */
function compact(reply: Reply): Reply {
  return {
    ...reply,
    cards: reply.cards.map((c) =>
      c.type === 'article' && c.detail === 'summary' ? { ...c, abstract: [], mesh: [] } : c,
    ),
  };
}

export function createReplyMemory(options: ReplyMemoryOptions): ReplyMemory {
  const ttlMs = options.ttlMs ?? 30 * 60_000;
  const capacity = options.capacity ?? 500;
  // A Map iterates in insertion order: the first entry is always the oldest.
  const entries = new Map<string, { reply: Reply; expires: number }>();

  const evict = (): void => {
    const now = options.clock.now();
    for (const [key, entry] of entries) {
      if (entries.size <= capacity && entry.expires > now) break;
      entries.delete(key);
    }
  };

  return {
    remember(reply) {
      // 48 random bits; randomUUID draws from a cached entropy pool, cheaper than randomBytes per reply.
      const key = randomUUID().replace(/-/g, '').slice(0, 12);
      entries.set(key, { reply: compact(reply), expires: options.clock.now() + ttlMs });
      evict();
      return key;
    },
    recall(key) {
      const entry = entries.get(key);
      if (!entry || entry.expires <= options.clock.now()) return undefined;
      return entry.reply;
    },
    replace(key, reply) {
      const entry = entries.get(key);
      if (entry) entry.reply = compact(reply);
    },
    get size() {
      return entries.size;
    },
  };
}
