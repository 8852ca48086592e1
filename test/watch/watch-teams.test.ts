// The watcher on Teams: a share sent through the bot is recorded under the activity id the Bot Connector gave
// it; a retraction is told once in that post's reply chain (<channel>;messageid=<id>) and the post itself is
// rewritten (PUT …/activities/<id>), through the fake Bot Connector.

import { runWatch } from '../../src/watch';
import { fixture, startHarness, type Harness } from '../adapters/teams/harness';
import { editOnce } from './support';

const CHANNEL_ACTION = fixture('vercel_teams_card_action_and_reaction.json', 'action');
const CHANNEL = '19:d441d38c655c47a085215b2726e76927@thread.tacv2';
const PMID = '23657305';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mount: 'direct' });
});
afterAll(async () => {
  await h.close();
});

it('records the share, then tells its reply chain once and marks the post retracted', async () => {
  const teams = h.teams;
  const build = h.server.core.watch.runner;
  if (!teams || !build) throw new Error('direct mount and a watcher expected');
  await h.post({ ...CHANNEL_ACTION, value: { command: `share ${PMID}` } });
  const shared = h.connector.sent('message').at(-1);
  expect(shared?.conversationId).toBe(CHANNEL);
  const shares = await h.server.core.watch.ledger.inChannel({ platform: 'teams', channel: CHANNEL }, 0);
  expect(shares).toHaveLength(1);
  expect(shares[0]).toMatchObject({ messageId: shared?.answeredId, item: { kind: 'article', id: PMID } });

  const xml = h.eutils.records.get(PMID)?.xml ?? '';
  h.eutils.reviseRecord(
    PMID,
    editOnce(
      xml,
      '</PublicationTypeList>',
      '<PublicationType UI="D016441">Retracted Publication</PublicationType></PublicationTypeList>',
    ),
  );
  h.connector.reset();
  const deps = build({ teams: teams.deliverer });
  await runWatch(deps, { now: true });
  await runWatch(deps, { now: true });

  const replies = h.connector.requests.filter((r) => r.method === 'POST' && r.activity.type === 'message');
  expect(replies).toHaveLength(1);
  expect(replies[0]?.conversationId).toBe(`${CHANNEL};messageid=${shared?.answeredId}`);
  expect(JSON.stringify(replies[0]?.activity)).toContain('RETRACTED');
  const edits = h.connector.requests.filter((r) => r.method === 'PUT');
  expect(edits).toHaveLength(1);
  expect(edits[0]?.replyToActivityId).toBe(shared?.answeredId);
  expect(JSON.stringify(edits[0]?.activity)).toContain('RETRACTED');
});
