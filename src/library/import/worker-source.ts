// Reads one import file in a worker thread (parse-worker.ts) and hands its items over as they come, so
// parsing and storing run on two cores; at most `window` batches wait in between, so memory stays flat.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RowItem } from './items';
import type { Format } from './sniff';
import type { FileSource } from './source';

export interface ParseJob {
  file: string;
  format: Format;
  gzip: boolean;
  /** Items per message. */
  batch: number;
  /** Messages the worker may post ahead of the importer. */
  window: number;
}

export type WorkerMessage =
  | { type: 'items'; items: RowItem[]; bytes: number }
  | { type: 'end'; items: RowItem[]; bytes: number }
  | { type: 'failed'; items: RowItem[]; bytes: number; message: string };

/** The reason a worker gave up on its file, reported like any read failure. */
export class WorkerReadError extends Error {
  override readonly name = 'WorkerReadError';
}

/** Big enough that posting costs little per item, small enough that the first rows arrive at once. */
const BATCH = 250;
/**
 * Messages the worker may run ahead. The importer takes none while it stores a transaction (1,000 rows,
 * tens of ms), so the worker must be able to parse more than that meanwhile: with 2 (500 rows) it stood
 * idle during every store. 100,000 records: 8,548 → 9,313–9,434 records/s, peak RSS unchanged (~280 MB).
 */
const WINDOW = 6;
const YOUNG_GENERATION_MB = 4;

/**
 * Compiled, the worker is parse-worker.js beside this file. Run from TypeScript sources (tests, the
 * benchmarks) it is parse-worker.ts, compiled on load with @swc/core alone: the parent's TypeScript hook
 * (@swc-node/register) would also load the TypeScript compiler, ~50 MB, into the worker.
 */
function workerScript(): { script: string; eval: boolean } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `parse-worker${ext}`);
  if (ext !== '.ts') return { script: file, eval: false };
  const options = {
    sourceMaps: 'inline',
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  };
  const script = `
    const fs = require('node:fs');
    const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (module, filename) => {
      const options = { ...${JSON.stringify(options)}, filename };
      module._compile(transformSync(fs.readFileSync(filename, 'utf8'), options).code, filename);
    };
    require(${JSON.stringify(file)});`;
  return { script, eval: true };
}

export function openInWorker(file: string, format: Format, gzip: boolean): FileSource {
  const job: ParseJob = { file, format, gzip, batch: BATCH, window: WINDOW };
  const { script, eval: evaluate } = workerScript();
  // A small young generation: the worker's garbage is short-lived rows, and V8's default semi-spaces
  // (16 MB) only add resident memory (100,000 records: peak RSS 293 → 274 MB at 4 MB, no slower).
  const worker = new Worker(script, {
    workerData: job,
    eval: evaluate,
    execArgv: [],
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let bytes = 0;
  let finished = false;
  const inbox: WorkerMessage[] = [];
  let notify: (() => void) | undefined;
  const deliver = (message: WorkerMessage): void => {
    if (finished) return;
    if (message.type !== 'items') finished = true;
    inbox.push(message);
    notify?.();
    notify = undefined;
  };
  worker.on('message', deliver);
  worker.on('error', (error: Error) =>
    deliver({ type: 'failed', items: [], bytes, message: `the parse worker failed: ${error.message}` }),
  );
  worker.on('exit', (code) =>
    deliver({ type: 'failed', items: [], bytes, message: `the parse worker stopped (exit code ${code})` }),
  );

  async function* items(): AsyncGenerator<RowItem> {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (notify = resolve));
      const message = inbox.shift() as WorkerMessage;
      bytes = message.bytes;
      // Granted before storing this batch, so the worker parses the next one meanwhile.
      if (message.type === 'items') worker.postMessage('more');
      yield* message.items;
      if (message.type === 'end') return;
      if (message.type === 'failed') throw new WorkerReadError(message.message);
    }
  }

  return {
    items: items(),
    bytesRead: () => bytes,
    close: async () => {
      finished = true;
      await worker.terminate();
    },
  };
}
