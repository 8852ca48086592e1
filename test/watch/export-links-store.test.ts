// Export links on both durable-store backends: any replica sharing Redis serves a link another made, and
// each held file leaves the store itself after 24 hours (not only refused by the expiry check).

import { systemClock, type Clock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { storeKey, type DurableStore } from '../../src/core/store';
import { openStore } from '../../src/store';
import { createExportLinks, EXPORT_LINK_TTL_MS } from '../../src/watch';
import { tempDataDir } from '../support/graph';
import { leaseRedisDb, type RedisDb } from '../support/redis';

const FILE = { filename: 'reading-list.csv', mime: 'text/csv', text: 'pmid,title\n1,"A, B"\n' };
const PUBLIC = 'https://paperbot.example.org';
const tokenOf = (url: string): string => /\/exports\/([^/]+)\//.exec(url)?.[1] ?? '';

let db: RedisDb;
const stores: DurableStore[] = [];
beforeAll(async () => {
  db = await leaseRedisDb();
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await db.release();
});

it('a link made on one replica downloads from another sharing Redis', async () => {
  for (let i = 0; i < 2; i += 1)
    stores.push(
      await openStore({ kind: 'redis', url: db.url }, { clock: systemClock, logger: silentLogger }),
    );
  const [a, b] = stores.map((store) => createExportLinks({ store, clock: systemClock, publicUrl: PUBLIC }));
  const { url, expiresAt } = await a!.publish(FILE);
  expect(expiresAt - systemClock.now()).toBeLessThanOrEqual(EXPORT_LINK_TTL_MS);
  expect(await b!.read(tokenOf(url), 'reading-list.csv')).toEqual(FILE);
  expect(await b!.read(tokenOf(url), 'reading-list.ris')).toBeUndefined();
});

it('the embedded store drops the file once the day is over', async () => {
  let ahead = 0;
  const clock: Clock = { now: () => systemClock.now() + ahead, sleep: systemClock.sleep };
  const store = await openStore(
    { kind: 'sqlite', path: `${tempDataDir()}/paperbot.sqlite` },
    { clock, logger: silentLogger },
  );
  stores.push(store);
  const links = createExportLinks({ store, clock, publicUrl: PUBLIC });
  const { url } = await links.publish(FILE);
  const key = storeKey('export', tokenOf(url));
  expect(await store.get(key)).toBeDefined();
  ahead = EXPORT_LINK_TTL_MS + 1;
  expect(await store.get(key)).toBeUndefined();
  expect(await links.read(tokenOf(url), FILE.filename)).toBeUndefined();
});
