// A fake Unpaywall /v2 on 127.0.0.1 serving the recorded bodies by DOI (`serveAs` lets another DOI borrow
// one, body untouched); an unknown DOI is a 404, a missing email a 422, as Unpaywall answers them.

import { startJsonPeer, type JsonPeer } from './json-peer';
import { recordedBodiesByDoi } from './signal-fixtures';

export interface FakeUnpaywall extends JsonPeer {
  /** Recorded DOIs (lower case) it serves. */
  recorded: readonly string[];
  serveAs(doi: string, recordedDoi: string): void;
}

export async function startFakeUnpaywall(o: { delayMs?: number } = {}): Promise<FakeUnpaywall> {
  const bodies = recordedBodiesByDoi('unpaywall');
  const served = new Map(bodies);
  const peer = await startJsonPeer(
    '/v2',
    (path, params) => {
      if (!params.get('email')) return { status: 422, body: '{"error":true,"message":"email required"}' };
      const body = served.get(path.replace(/^\//, '').toLowerCase());
      return body ? { status: 200, body } : { status: 404, body: '{"error":true,"message":"not found"}' };
    },
    o,
  );
  return Object.assign(peer, {
    recorded: [...bodies.keys()],
    serveAs(doi: string, recordedDoi: string) {
      const body = bodies.get(recordedDoi.toLowerCase());
      if (!body) throw new Error(`no recorded Unpaywall body for ${recordedDoi}`);
      served.set(doi.toLowerCase(), body);
    },
  });
}
