// The import's parse worker: reads one file with openLocal (decompression, parsing, rows) in its own
// thread and posts the items in batches, never more than the importer has room for. Storing is index.ts's.

import { parentPort, workerData } from 'node:worker_threads';
import { packJson } from '../article-row';
import type { RowItem } from './items';
import { openLocal } from './source';
import type { ParseJob, WorkerMessage } from './worker-source';

function packRows(items: RowItem[]): void {
  for (const item of items) if (item.kind === 'row') item.row.json = packJson(item.row.json);
}

async function run(port: NonNullable<typeof parentPort>, job: ParseJob): Promise<void> {
  // Batches the importer may still take; it grants one more as it starts on each batch.
  let credit = job.window;
  let wake: (() => void) | undefined;
  port.on('message', (message: unknown) => {
    if (message !== 'more') return;
    credit += 1;
    wake?.();
    wake = undefined;
  });
  const source = openLocal(job.file, job.format, job.gzip);
  const post = (message: WorkerMessage): void => port.postMessage(message);
  let items: RowItem[] = [];
  try {
    for await (const item of source.items) {
      items.push(item);
      if (items.length < job.batch) continue;
      // The importer has all it may hold: the time until it asks for more is spent packing this batch's
      // rows, work it would otherwise do itself (and the packed rows are half the bytes to post).
      if (credit <= 0) packRows(items);
      while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
      credit -= 1;
      post({ type: 'items', items, bytes: source.bytesRead() });
      items = [];
    }
    post({ type: 'end', items, bytes: source.bytesRead() });
  } catch (error) {
    // What was read before the failure still goes to the importer, then the reason.
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'failed', items, bytes: source.bytesRead(), message });
  } finally {
    await source.close();
    port.close();
  }
}

if (parentPort !== null) void run(parentPort, workerData as ParseJob);
