// `paperbot import <files…>`: streams files into the local library with a progress bar on stderr
// (records and records/s) and a summary; broken records are listed with file and position, never fatal.

import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Config } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import { importFiles } from '../../src/library/import';
import { openLibrary } from '../../src/library/store';
import { ensurePrivateFile, prepareDataDir } from '../../src/store/files';
import type { CliIo } from './io';

/** Problems printed one per line; past this the summary line only counts them. */
const MAX_LISTED = 50;

export async function runImport(config: Config, logger: Logger, files: string[], io: CliIo): Promise<number> {
  if (files.length === 0) {
    io.stderr.write(
      'paperbot import: name one or more files (PubMed XML, .xml.gz, MEDLINE .nbib/.txt, ClinicalTrials.gov JSON).\n',
    );
    return 2;
  }
  // Checked before the library opens: a typo should read "no such file", not an ENOENT from stat.
  const missing = files.filter((f) => !fs.existsSync(path.resolve(io.cwd, f)));
  if (missing.length > 0) {
    for (const f of missing) io.stderr.write(`paperbot import: no such file: ${f}\n`);
    return 2;
  }
  prepareDataDir(config.dataDir);
  const libraryFile = path.join(config.dataDir, 'library.sqlite');
  ensurePrivateFile(libraryFile);
  const library = openLibrary({ path: libraryFile, logger });
  const started = Date.now();
  const bar = io.stderr.isTTY
    ? new SingleBar({
        format: '{file} |{bar}| {percentage}% · {records} records · {rate} records/s',
        hideCursor: true,
        stream: io.stderr,
      })
    : undefined;
  let currentFile = '';
  let problems = 0;
  try {
    const summary = await importFiles(
      library,
      files.map((f) => path.resolve(io.cwd, f)),
      {
        onProgress(p) {
          const rate = Math.round(p.records / Math.max(0.001, (Date.now() - started) / 1000));
          const payload = {
            file: path.basename(p.file),
            records: p.records.toLocaleString('en-US'),
            rate: rate.toLocaleString('en-US'),
          };
          if (!bar) return;
          if (p.file !== currentFile) {
            if (currentFile) bar.stop();
            currentFile = p.file;
            bar.start(Math.max(1, p.totalBytes), p.bytes, payload);
          } else bar.update(p.bytes, payload);
        },
        onProblem(p) {
          problems += 1;
          if (problems <= MAX_LISTED) {
            const where = [
              p.line !== undefined ? `line ${p.line}` : '',
              p.index !== undefined ? `record ${p.index + 1}` : '',
            ]
              .filter(Boolean)
              .join(', ');
            bar?.stop();
            io.stderr.write(`${path.basename(p.file)}${where ? ` (${where})` : ''}: ${p.message}\n`);
          }
        },
      },
    );
    bar?.stop();
    const rate = Math.round(summary.records / Math.max(0.001, summary.seconds));
    io.stdout.write(
      `Imported ${count(summary.records, 'record')} from ${count(summary.files, 'file')} in ${summary.seconds.toFixed(1)} s ` +
        `(${rate.toLocaleString('en-US')} records/s): ${summary.inserted.toLocaleString('en-US')} new, ${summary.updated.toLocaleString('en-US')} updated.\n`,
    );
    // Said on stderr and in the exit code so a script cannot mistake a partial import for a whole one.
    if (summary.problems > 0) {
      const listed = summary.problems > MAX_LISTED ? `the first ${MAX_LISTED} listed above` : 'listed above';
      io.stderr.write(
        `paperbot import: ${count(summary.problems, 'problem')} (${listed}); those records or files were not imported.\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    bar?.stop();
    library.close();
  }
}

/** "1 record", "2 records", "1,500 records": every count the import prints goes through here. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : noun.replace(/(\w+)$/, '$1s')}`;
}
