// The queue of callers waiting for a rate budget: continuation, then interactive, then batch; arrival order within each.
// It owns ordering and abort handling; when a waiter may go is decided by budget.ts and budget-redis.ts.

import type { Priority } from '../core/ports';

export type AcquireOptions = { priority?: Priority; signal?: AbortSignal };

export interface Waiter {
  priority: Priority;
  signal?: AbortSignal;
  resolve(): void;
  reject(reason: unknown): void;
}

/** Waiting callers by priority lane, first come first served within each; aborts leave the queue. */
export class WaitQueue {
  private readonly lanes: Record<Priority, Waiter[]> = { continuation: [], interactive: [], batch: [] };
  private readonly detach = new Map<Waiter, () => void>();

  constructor(private readonly onAdd: (waiter: Waiter) => void) {}

  add(options: AcquireOptions = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority: options.priority ?? 'interactive', resolve, reject };
      if (signal) {
        waiter.signal = signal;
        const onAbort = (): void => {
          if (this.remove(waiter)) reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        this.detach.set(waiter, () => signal.removeEventListener('abort', onAbort));
      }
      this.lanes[waiter.priority].push(waiter);
      this.onAdd(waiter);
    });
  }

  get size(): number {
    return this.lanes.continuation.length + this.lanes.interactive.length + this.lanes.batch.length;
  }

  peek(): Waiter | undefined {
    return this.lanes.continuation[0] ?? this.lanes.interactive[0] ?? this.lanes.batch[0];
  }

  /** Takes the waiter out (if still queued) and stops listening to its signal; false if it already left. */
  remove(waiter: Waiter): boolean {
    const lane = this.lanes[waiter.priority];
    const index = lane.indexOf(waiter);
    if (index < 0) return false;
    lane.splice(index, 1);
    this.detach.get(waiter)?.();
    this.detach.delete(waiter);
    return true;
  }

  rejectAll(reason: unknown): void {
    for (const waiter of [...this.lanes.continuation, ...this.lanes.interactive, ...this.lanes.batch]) {
      this.remove(waiter);
      waiter.reject(reason);
    }
  }
}
