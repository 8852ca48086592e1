// Reads one import file in this thread: the byte stream (gunzipped when needed), its format's reader, and
// each article built into its stored row. The parse worker runs the same code in its own thread.

import fs from 'node:fs';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { articleRow } from '../article-row';
import { streamCtgov } from './ctgov';
import type { ImportItem, RowItem } from './items';
import { readLines } from './lines';
import { streamMedline } from './medline';
import { streamPubmedXml } from './pubmed-xml';
import type { Format } from './sniff';

/** One file's items as the importer stores them, and how far through the file reading is. */
export interface FileSource {
  readonly items: AsyncIterable<RowItem>;
  /** Bytes of the file read so far (compressed bytes for .gz). */
  bytesRead(): number;
  /** Stops reading (early, on a failure, or at the end); safe to call twice. */
  close(): Promise<void>;
}

const READ_CHUNK = 1024 * 1024;

function readerFor(format: Format, source: AsyncIterable<string | Buffer>): AsyncGenerator<ImportItem> {
  switch (format) {
    case 'pubmed-xml':
      return streamPubmedXml(source);
    case 'medline':
      return streamMedline(readLines(source));
    case 'ctgov-json':
      return streamCtgov(readLines(source));
  }
}

export function openLocal(file: string, format: Format, gzip: boolean): FileSource {
  const raw = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
  const bytes: AsyncIterable<Buffer> = gzip ? pipeline(raw, zlib.createGunzip(), () => undefined) : raw;
  async function* items(): AsyncGenerator<RowItem> {
    for await (const item of readerFor(format, bytes)) {
      yield item.kind === 'article' ? { kind: 'row', row: articleRow(item.article) } : item;
    }
  }
  return {
    items: items(),
    bytesRead: () => raw.bytesRead,
    close: async () => {
      raw.destroy();
    },
  };
}
