// A fake Crossref REST on 127.0.0.1 serving the recorded /works/{doi} bodies (`serveAs` lets another DOI
// borrow one, body untouched); an unknown DOI is a 404 "Resource not found.", as Crossref answers it.

import { startJsonPeer, type JsonPeer } from './json-peer';
import { recordedBodiesByDoi } from './signal-fixtures';

export interface FakeCrossref extends JsonPeer {
  recorded: readonly string[];
  serveAs(doi: string, recordedDoi: string): void;
  /** Serves `body` for `doi`: a recorded body a test changed (no recorded retraction exists). */
  serveBody(doi: string, body: string): void;
}

export async function startFakeCrossref(o: { delayMs?: number } = {}): Promise<FakeCrossref> {
  const bodies = recordedBodiesByDoi('crossref');
  const served = new Map(bodies);
  const peer = await startJsonPeer(
    '',
    (path) => {
      const doi = /^\/works\/(.+)$/.exec(path)?.[1]?.toLowerCase();
      const body = doi ? served.get(doi) : undefined;
      return body ? { status: 200, body } : { status: 404, body: 'Resource not found.', type: 'text/plain' };
    },
    o,
  );
  return Object.assign(peer, {
    recorded: [...bodies.keys()],
    serveAs(doi: string, recordedDoi: string) {
      const body = bodies.get(recordedDoi.toLowerCase());
      if (!body) throw new Error(`no recorded Crossref body for ${recordedDoi}`);
      served.set(doi.toLowerCase(), body);
    },
    serveBody(doi: string, body: string) {
      served.set(doi.toLowerCase(), body);
    },
  });
}
