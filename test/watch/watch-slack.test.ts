// The watcher end to end on Slack: a share made with /paper is recorded; the watcher reads the record again
// through the fake E-utilities / ClinicalTrials.gov and, when it changed, posts exactly one reply in the
// share's thread (and, for a retraction, rewrites the shared card with a RETRACTED banner). Nothing of ours
// is mocked: the real Slack app, core graph, store, PubMed and registry services, over HTTP to the fakes.

import type { Deliverer } from '../../src/core/deliverer';
import { runWatch, type WatchRunnerDeps } from '../../src/watch';
import { startHarness, type Harness } from '../adapters/slack/harness';
import type { SlackMessage } from '../peers/slack';
import { blockActionBody, paperCommand, slackFixtureJson } from '../adapters/slack/slack-requests';
import {
  articleVersions,
  CHANNEL,
  dyingDeliverer,
  ERRATUM_NOTICE_PMID,
  ERRATUM_PMID,
  mortal,
  RECORDED,
  RETRACTION_SOURCE,
  shareInSlack,
  TRIAL_NCT,
  trialVersions,
} from './support';

let h: Harness;
let versions: ReturnType<typeof articleVersions>;

beforeAll(async () => {
  h = await startHarness();
  versions = articleVersions(h.eutils.records.get(ERRATUM_PMID)?.xml ?? '');
});
afterAll(async () => {
  await h.close();
});

function runner(
  deliverer: Deliverer = h.app.deliverer,
  over: Partial<WatchRunnerDeps> = {},
): WatchRunnerDeps {
  const build = h.graph.watch.runner;
  if (!build) throw new Error('the test graph has no watcher');
  return { ...build({ slack: deliverer }), ...over };
}

const watchOnce = (deliverer?: Deliverer, over?: Partial<WatchRunnerDeps>) =>
  runWatch(runner(deliverer, over), { now: true });

let channel = CHANNEL;
/** A channel of the test's own (Slack-shaped id). */
let channels = 0;
const newChannel = (): string => (channel = `C0WATCH${String((channels += 1)).padStart(3, '0')}`);

const replies = (ts: string): SlackMessage[] =>
  h.slack.messagesIn(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);
const updatesOf = (ts: string) => h.slack.callsTo('chat.update').filter((c) => c.params.ts === ts);
const textOf = (m: SlackMessage | undefined): string => JSON.stringify(m?.blocks ?? m?.text ?? '');

describe('watching a shared article', () => {
  it('records the share with what the card showed', async () => {
    h.eutils.reviseRecord(ERRATUM_PMID, versions.before);
    const ts = await shareInSlack(h, ERRATUM_PMID, channel);
    const shares = await h.graph.watch.ledger.inChannel({ platform: 'slack', channel }, 0);
    const share = shares.find((s) => s.messageId === ts);
    expect(share).toMatchObject({
      platform: 'slack',
      channel,
      item: { kind: 'article', id: ERRATUM_PMID },
      by: { id: RECORDED.user_id },
      status: { kind: 'article', retracted: false, notices: [] },
      told: [],
    });
  });

  it('posts nothing while nothing changed, one thread reply per change, and a banner for a retraction', async () => {
    newChannel();
    h.eutils.reviseRecord(ERRATUM_PMID, versions.before);
    const ts = await shareInSlack(h, ERRATUM_PMID, channel);

    // Run 1: the record is as shared.
    const quiet = await watchOnce();
    expect(quiet.outcomes).toEqual([]);
    expect(replies(ts)).toEqual([]);
    const efetches = h.eutils.requests.filter((r) => r.utility === 'efetch');
    expect(efetches.at(-1)?.params.id?.split(',')).toContain(ERRATUM_PMID);

    // Run 2: NLM linked the (real, recorded) erratum.
    h.eutils.reviseRecord(ERRATUM_PMID, versions.recorded);
    const erratum = await watchOnce();
    expect(erratum.outcomes.map((o) => o.status)).toContain('notified');
    expect(replies(ts)).toHaveLength(1);
    expect(textOf(replies(ts)[0])).toContain(`https://pubmed.ncbi.nlm.nih.gov/${ERRATUM_NOTICE_PMID}/`);
    expect(textOf(replies(ts)[0])).toContain('Erratum');
    expect(updatesOf(ts)).toHaveLength(0);

    // Run 3: nothing new since the erratum.
    await watchOnce();
    expect(replies(ts)).toHaveLength(1);

    // Run 4: retracted. One reply in the thread, one rewrite of the shared card.
    h.eutils.reviseRecord(ERRATUM_PMID, versions.retracted);
    await watchOnce();
    expect(replies(ts)).toHaveLength(2);
    expect(textOf(replies(ts)[1])).toContain('RETRACTED');
    expect(textOf(replies(ts)[1])).toContain(RETRACTION_SOURCE);
    const updates = updatesOf(ts);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({ channel, ts });
    const original = h.slack.messagesIn(channel).find((m) => m.ts === ts);
    expect(textOf(original)).toContain('RETRACTED');
    expect(original?.edited).toBeDefined();

    // Runs 5 and 6: retracted still; nothing more is said.
    await watchOnce();
    await watchOnce();
    expect(replies(ts)).toHaveLength(2);
    expect(updatesOf(ts)).toHaveLength(1);

    // `watch` in the channel lists both changes.
    const listed = await h.graph.assistant.handle({
      text: 'watch',
      user: { id: RECORDED.user_id as string },
      place: { platform: 'slack', team: RECORDED.team_id as string, channel },
    });
    const card = listed.cards[0];
    expect(card?.type).toBe('help');
    const lines = card?.type === 'help' ? card.sections.flatMap((s) => s.lines).join('\n') : '';
    expect(lines).toContain('RETRACTED');
    expect(lines).toContain('Erratum');
  });
});

describe('watching a shared trial', () => {
  it('tells the thread once when the overall status changes', async () => {
    newChannel();
    const { recruiting, recorded } = trialVersions();
    h.ctgov.addStudy(recruiting);
    const ts = await shareInSlack(h, TRIAL_NCT, channel);
    await watchOnce();
    expect(replies(ts)).toEqual([]);

    h.ctgov.addStudy(recorded);
    await watchOnce();
    await watchOnce();
    expect(replies(ts)).toHaveLength(1);
    expect(textOf(replies(ts)[0])).toContain('Recruiting → Terminated');
    expect(updatesOf(ts)).toHaveLength(0);
    const lookups = h.ctgov.requests.filter((r) => r.params['filter.ids']);
    expect(lookups.at(-1)?.params['filter.ids']?.split(',')).toContain(TRIAL_NCT);
  });
});

describe('a watcher that dies mid-notice', () => {
  const CLAIM_MS = 1000;
  const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it.each(['before_post', 'after_post'] as const)(
    'killed %s: the next run neither loses nor repeats the notice',
    async (when) => {
      newChannel();
      h.eutils.reviseRecord(ERRATUM_PMID, versions.before);
      const ts = await shareInSlack(h, ERRATUM_PMID, channel);
      h.eutils.reviseRecord(ERRATUM_PMID, versions.retracted);

      const proc = mortal();
      const base = runner(h.app.deliverer, { claimTtlMs: CLAIM_MS });
      await runWatch(
        {
          ...base,
          ledger: proc.wrap(base.ledger),
          store: proc.wrap(base.store),
          deliverers: { slack: dyingDeliverer(h.app.deliverer, proc, when) },
        },
        { now: true },
      ).catch(() => undefined);
      expect(proc.dead).toBe(true);
      expect(replies(ts)).toHaveLength(when === 'after_post' ? 1 : 0);

      // The dead run's claims hold until they expire: a run meanwhile leaves the share alone.
      await watchOnce(h.app.deliverer, { claimTtlMs: CLAIM_MS });
      expect(replies(ts)).toHaveLength(when === 'after_post' ? 1 : 0);

      await after(CLAIM_MS + 50);
      await watchOnce(h.app.deliverer, { claimTtlMs: CLAIM_MS });
      await watchOnce(h.app.deliverer, { claimTtlMs: CLAIM_MS });
      expect(replies(ts)).toHaveLength(1);
      expect(textOf(replies(ts)[0])).toContain('RETRACTED');
      expect(updatesOf(ts)).toHaveLength(1);
    },
  );
});

describe('a channel that is gone', () => {
  it('pauses the watch and tells the sharer privately', async () => {
    newChannel();
    h.eutils.reviseRecord(ERRATUM_PMID, versions.before);
    const ts = await shareInSlack(h, ERRATUM_PMID, channel);
    h.eutils.reviseRecord(ERRATUM_PMID, versions.recorded);
    h.slack.fail('chat.postMessage', [{ error: 'is_archived' }]);
    const report = await watchOnce();
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({ status: 'paused', problem: 'archived' }),
    );
    const dm = h.slack.callsTo('chat.postMessage').at(-1);
    expect(dm?.params.channel).toBe(RECORDED.user_id);
    expect(JSON.stringify(dm?.params.blocks)).toContain('archived');
    await watchOnce();
    expect(replies(ts)).toEqual([]);
  });
});

describe('the reading list', () => {
  it('lists what the channel shared, and sends the handout as a file through files.uploadV2', async () => {
    newChannel();
    h.eutils.reviseRecord(ERRATUM_PMID, versions.retracted);
    await shareInSlack(h, ERRATUM_PMID, channel);
    await shareInSlack(h, '22663011', channel);
    await shareInSlack(h, TRIAL_NCT, channel);
    // The cards came from the cache (as shared then); the watcher brings the list up to date.
    await watchOnce();
    const place = { platform: 'slack' as const, team: RECORDED.team_id as string, channel };
    const listed = await h.graph.assistant.handle({ text: 'list this week', user: { id: 'U1' }, place });
    const card = listed.cards[0];
    const text = card?.type === 'help' ? JSON.stringify(card.sections) : '';
    expect(text).toContain('Randomized controlled trial');
    expect(text).toContain('RETRACTED');
    expect(text).toContain(`${TRIAL_NCT} — `);
    expect(text).toContain('Terminated');

    const url = h.slack.responseUrl();
    await h.poster.post(paperCommand('list last 7 days as html', url, { channel_id: channel }));
    await h.slack.nextResponse(url);
    const file = h.slack.files.at(-1);
    expect(file).toMatchObject({ filename: 'reading-list.html', channel, completed: true });
    expect(file?.body).toContain('<!DOCTYPE html>');
    expect(file?.body).toContain('RETRACTED');
    expect(file?.body).toContain('PMID: 22663011');
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });
});

describe('the reading list export buttons', () => {
  // The recorded block_actions payload presses from its own channel: the list is made there.
  const pressed = slackFixtureJson<{ action: { channel: { id: string } } }>(
    'vercel_block_actions_button_select_radio_reaction.json',
  ).action.channel.id;

  it('a pressed RIS button goes through the typed command and uploads the same window as a file', async () => {
    channel = pressed;
    h.eutils.reviseRecord(ERRATUM_PMID, versions.retracted);
    await shareInSlack(h, ERRATUM_PMID, channel);
    await watchOnce();

    const url = h.slack.responseUrl();
    await h.poster.post(paperCommand('list last 7 days', url, { channel_id: channel }));
    const listed = await h.slack.nextResponse(url);
    const blocks = (listed.body.blocks ?? []) as { type: string; block_id?: string; elements?: unknown[] }[];
    const row = blocks.find((b) => b.type === 'actions');
    const buttons = (row?.elements ?? []) as { action_id: string; value: string; text: { text: string } }[];
    expect(buttons.map((b) => [b.text.text, b.value])).toEqual([
      ['Handout (HTML)', 'list last 7 days as html'],
      ['RIS', 'list last 7 days as ris'],
      ['BibTeX', 'list last 7 days as bibtex'],
      ['CSV', 'list last 7 days as csv'],
    ]);

    const ris = buttons[1];
    if (!ris || !row?.block_id) throw new Error('no RIS button');
    const uploads = h.slack.files.length;
    const pressUrl = h.slack.responseUrl();
    const posted = await h.poster.post(
      blockActionBody({
        actionId: ris.action_id,
        blockId: row.block_id,
        value: ris.value,
        responseUrl: pressUrl,
      }),
    );
    expect(posted.status).toBe(200);
    await h.slack.waitFor(() =>
      h.slack.files.length > uploads && h.slack.files.at(-1)?.completed ? true : undefined,
    );
    const file = h.slack.files.at(-1);
    expect(file).toMatchObject({ filename: 'reading-list.ris', channel, completed: true });
    expect(file?.body).toContain(`ID  - pmid${ERRATUM_PMID}`);
    expect(file?.body).toContain('Retraction in:');
  });
});
