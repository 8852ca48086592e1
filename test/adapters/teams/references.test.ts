// The durable reference stores, for real: a SQLite file that survives a reopen, and the test run's own Redis
// under a unique prefix (removed afterwards), including the sent-key log crash reconciliation reads.

import fs from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import type { ConversationReference } from '@microsoft/agents-activity';
import { createReferenceStore, type ReferenceStore } from '../../../adapters/teams/references';
import { systemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { openStore, type StoreOptions } from '../../../src/store';
import { tempDataDir } from '../../support/graph';
import { fixture } from './harness';
import { testRedisUrl } from '../../support/redis';

/** The reference Teams' recorded personal-chat install yields (what app.ts keeps). */
function reference(): ConversationReference {
  const a = fixture(
    'botbuilder_teams_SampleActivityConversationUpdateWithAADObjectId.json',
  ) as unknown as ConversationReference & {
    from: ConversationReference['user'];
    recipient: ConversationReference['agent'];
  };
  return {
    user: a.from,
    agent: a.recipient,
    conversation: a.conversation,
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
  };
}

async function exercise(store: ReferenceStore): Promise<void> {
  expect(await store.get('a:uniqueID')).toBeUndefined();
  await store.save('a:uniqueID', reference());
  expect(await store.get('a:uniqueID')).toEqual(reference());
  await store.recordSent('a:uniqueID', 'digest-1', 1_000);
  await store.recordSent('a:uniqueID', 'digest-2', 5_000);
  await store.recordSent('other', 'digest-3', 5_000);
  expect(await store.sentSince('a:uniqueID', 0)).toEqual(['digest-1', 'digest-2']);
  expect(await store.sentSince('a:uniqueID', 2_000)).toEqual(['digest-2']);
  await store.remove('a:uniqueID');
  expect(await store.get('a:uniqueID')).toBeUndefined();
}

/** References on a DurableStore of their own; closing them closes that store. */
async function references(options: StoreOptions): Promise<ReferenceStore> {
  const store = await openStore(options, { clock: systemClock, logger: silentLogger });
  return { ...createReferenceStore(store, systemClock), close: () => store.close() };
}
const openSqliteReferences = (o: { file: string }): Promise<ReferenceStore> =>
  references({ kind: 'sqlite', path: o.file });

describe('sqlite', () => {
  const dir = tempDataDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores, finds, forgets, and logs sent keys', async () => {
    const store = await openSqliteReferences({ file: path.join(dir, 'a.sqlite') });
    await exercise(store);
    await store.close();
  });

  it('keeps references across a restart', async () => {
    const file = path.join(dir, 'b.sqlite');
    const first = await openSqliteReferences({ file });
    await first.save('19:ThreadID@thread.skype', reference());
    await first.close();
    const second = await openSqliteReferences({ file });
    expect((await second.get('19:ThreadID@thread.skype'))?.conversation.id).toBe('a:uniqueID');
    await second.close();
  });

  it('treats an unreadable row as absent rather than posting somewhere wrong', async () => {
    const file = path.join(dir, 'c.sqlite');
    const store = await openSqliteReferences({ file });
    await store.save('k', { ...reference(), serviceUrl: undefined } as unknown as ConversationReference);
    expect(await store.get('k')).toBeUndefined();
    await store.close();
  });

  it('reports a closed database as a store_failure', async () => {
    const store = await openSqliteReferences({ file: path.join(dir, 'd.sqlite') });
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'store_failure' });
  });
});

describe('redis', () => {
  const prefix = `paperbot-test:${process.pid}:${Date.now()}:teams:`;
  afterAll(async () => {
    const client = createClient({ url: testRedisUrl() });
    await client.connect();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(keys);
    await client.close();
  });

  it('stores, finds, forgets, and logs sent keys, shared by every replica', async () => {
    const a = await references({ kind: 'redis', url: testRedisUrl(), prefix });
    const b = await references({ kind: 'redis', url: testRedisUrl(), prefix });
    await exercise(a);
    await a.save('shared', reference());
    expect(await b.get('shared')).toEqual(reference());
    await a.close();
    await b.close();
  });
});
