// Tells an import file's format from its first bytes (gzip or not): PubMed XML, MEDLINE text or
// ClinicalTrials.gov JSON. Reading the formats is the readers'; choosing where to read them is index.ts's.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { looksLikeMedline } from './medline';
import { looksLikeXml } from './pubmed-xml';

export type Format = 'pubmed-xml' | 'medline' | 'ctgov-json';

export interface FileKind {
  gzip: boolean;
  /** Undefined when the file is none of the formats. */
  format: Format | undefined;
  empty: boolean;
}

const HEAD_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

/** The first bytes of the file, decompressed when it is gzip: enough to tell the formats apart. */
export async function sniff(file: string): Promise<FileKind> {
  const handle = await fs.promises.open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  if (gzip) head = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const text = head.toString('utf8');
  const empty = text.trim().replace(/^\uFEFF/, '') === '';
  if (looksLikeXml(text)) return { gzip, format: 'pubmed-xml', empty };
  if (looksLikeMedline(text)) return { gzip, format: 'medline', empty };
  if (/^\uFEFF?\s*[{[]/.test(text)) return { gzip, format: 'ctgov-json', empty };
  return { gzip, format: undefined, empty };
}

export function describeUnknown(file: string, empty: boolean): string {
  if (empty) return 'the file is empty';
  const ext =
    path
      .basename(file)
      .toLowerCase()
      .replace(/^[^.]*/, '') || 'no extension';
  return `not PubMed XML, MEDLINE text or ClinicalTrials.gov JSON (${ext}); skipped`;
}
