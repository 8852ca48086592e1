// The durable reference stores, for real: a SQLite file that survives a reopen, and Redis on 127.0.0.1:6379
// under a unique prefix (removed afterwards), including the sent-key log crash reconciliation reads.

import fs from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import type { ConversationReference } from '@microsoft/agents-activity';
import {
  openRedisReferences,
  openSqliteReferences,
  type ReferenceStore,
} from '../../../adapters/teams/references';
import { systemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { tempDataDir } from '../../support/graph';
import { fixture } from './harness';

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

describe('sqlite', () => {
  const dir = tempDataDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores, finds, forgets, and logs sent keys', async () => {
    const store = openSqliteReferences({ file: path.join(dir, 'a.sqlite'), clock: systemClock });
    await exercise(store);
    await store.close();
  });

  it('keeps references across a restart', async () => {
    const file = path.join(dir, 'b.sqlite');
    const first = openSqliteReferences({ file, clock: systemClock });
    await first.save('19:ThreadID@thread.skype', reference());
    await first.close();
    const second = openSqliteReferences({ file, clock: systemClock });
    expect((await second.get('19:ThreadID@thread.skype'))?.conversation.id).toBe('a:uniqueID');
    await second.close();
  });

  it('treats an unreadable row as absent rather than posting somewhere wrong', async () => {
    const file = path.join(dir, 'c.sqlite');
    const store = openSqliteReferences({ file, clock: systemClock });
    await store.save('k', { ...reference(), serviceUrl: undefined } as unknown as ConversationReference);
    expect(await store.get('k')).toBeUndefined();
    await store.close();
  });

  it('reports a closed database as a store_failure', async () => {
    const store = openSqliteReferences({ file: path.join(dir, 'd.sqlite'), clock: systemClock });
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'store_failure' });
  });
});

describe('redis', () => {
  const prefix = `paperbot-test:${process.pid}:${Date.now()}:teams:`;
  afterAll(async () => {
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(keys);
    await client.close();
  });

  it('stores, finds, forgets, and logs sent keys, shared by every replica', async () => {
    const a = await openRedisReferences({
      url: 'redis://127.0.0.1:6379',
      prefix,
      clock: systemClock,
      logger: silentLogger,
    });
    const b = await openRedisReferences({
      url: 'redis://127.0.0.1:6379',
      prefix,
      clock: systemClock,
      logger: silentLogger,
    });
    await exercise(a);
    await a.save('shared', reference());
    expect(await b.get('shared')).toEqual(reference());
    await a.close();
    await b.close();
  });
});
