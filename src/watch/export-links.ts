// Reading-list exports held for download (Teams has no file upload paperbot may use): the bytes in the durable
// store for 24 hours under an unguessable token, and the link `paperbot serve` answers at /exports/<token>/<name>.

import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { ReplyFile } from '../core/reply';
import { storeKey, type DurableStore } from '../core/store';

/** How long a download link works: a day covers the meeting it was made for, and no more is kept. */
export const EXPORT_LINK_TTL_MS = 24 * 3600_000;
/** 24 random bytes, base64url: 192 bits, not guessable or enumerable. */
const TOKEN_BYTES = 24;
export const EXPORT_TOKEN = /^[A-Za-z0-9_-]{32}$/;

interface HeldExport {
  filename: string;
  mime: string;
  text: string;
  /** Checked on read with the injected clock too: a backend's TTL may outlive it by its sweep interval. */
  expiresAt: number;
}

export interface ExportLinks {
  /** Keeps the file and returns where it can be downloaded until `expiresAt`. */
  publish(file: Pick<ReplyFile, 'filename' | 'mime' | 'text'>): Promise<{ url: string; expiresAt: number }>;
  /** The file under `token` if it exists, has not expired and is named `filename`; otherwise undefined. */
  read(token: string, filename: string): Promise<Pick<ReplyFile, 'filename' | 'mime' | 'text'> | undefined>;
}

const keyOf = (token: string): string => storeKey('export', token);

export function createExportLinks(deps: {
  store: DurableStore;
  clock: Clock;
  /** PAPERBOT_PUBLIC_URL, no trailing slash. */
  publicUrl: string;
}): ExportLinks {
  return {
    async publish(file) {
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      const expiresAt = deps.clock.now() + EXPORT_LINK_TTL_MS;
      const held: HeldExport = { filename: file.filename, mime: file.mime, text: file.text, expiresAt };
      await deps.store.set(keyOf(token), held, EXPORT_LINK_TTL_MS);
      return {
        url: `${deps.publicUrl}/exports/${token}/${encodeURIComponent(file.filename)}`,
        expiresAt,
      };
    },
    async read(token, filename) {
      if (!EXPORT_TOKEN.test(token)) return undefined;
      const held = await deps.store.get<HeldExport>(keyOf(token));
      if (!held || held.expiresAt <= deps.clock.now() || held.filename !== filename) return undefined;
      return { filename: held.filename, mime: held.mime, text: held.text };
    },
  };
}
