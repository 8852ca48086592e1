// Reading-list exports in Teams, through the real server and the fake Bot Connector: `list … as ris` answers a
// card with a download link under PAPERBOT_PUBLIC_URL; the link serves exactly the file, as an attachment,
// for 24 hours; a wrong, misnamed or expired link is a plain 404. Without a public URL Teams says so.

import { systemClock, type Clock } from '../../src/core/clock';
import { fixture, startHarness, type Harness } from '../adapters/teams/harness';
import { exportReadingList } from '../../src/watch/exports';
import { parseListWindow } from '../../src/watch/window';
import { editOnce } from './support';

const CHANNEL_ACTION = fixture('vercel_teams_card_action_and_reaction.json', 'action');
const CHANNEL = '19:d441d38c655c47a085215b2726e76927@thread.tacv2';
const PUBLIC = 'https://paperbot.example.org/board';
const PMID = '23657305';
const DAY = 24 * 3600_000;

/** The real clock, moved forward on demand: the server keeps running in real time meanwhile. */
let ahead = 0;
const clock: Clock = { now: () => systemClock.now() + ahead, sleep: systemClock.sleep };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mount: 'direct', clock, env: { PAPERBOT_PUBLIC_URL: `${PUBLIC}/` } });
});
afterAll(async () => {
  await h.close();
});

const say = (command: string) => h.post({ ...CHANNEL_ACTION, value: { command } });
const lastMessage = () => JSON.stringify(h.connector.sent('message').at(-1)?.activity ?? {});

interface OpenUrl {
  type: string;
  title: string;
  url: string;
}

/** Every Action.OpenUrl in the last message's cards. */
function openUrls(): OpenUrl[] {
  const found: OpenUrl[] = [];
  JSON.parse(lastMessage(), (_key, value: unknown) => {
    const v = value as Partial<OpenUrl> | null;
    if (v && typeof v === 'object' && v.type === 'Action.OpenUrl' && v.url && v.title)
      found.push(v as OpenUrl);
    return value;
  });
  return found;
}

/** The public link as the server behind the proxy sees it. */
const local = (url: string): string => `${h.url}${url.slice(PUBLIC.length)}`;

it('answers `list … as ris` with a download link that serves exactly the RIS for 24 hours', async () => {
  await say(`share ${PMID}`);
  const xml = h.eutils.records.get(PMID)?.xml ?? '';
  h.eutils.reviseRecord(
    PMID,
    editOnce(
      xml,
      '</PublicationTypeList>',
      '<PublicationType UI="D016441">Retracted Publication</PublicationType></PublicationTypeList>',
    ),
  );

  await say('list this week as ris');
  expect(lastMessage()).toContain('expires in 24 hours');
  const download = openUrls().find((a) => a.title === 'Download reading-list.ris');
  expect(download?.url).toMatch(
    new RegExp(`^${PUBLIC.replace(/[./]/g, '\\$&')}/exports/[A-Za-z0-9_-]{32}/reading-list\\.ris$`),
  );
  if (!download) throw new Error('no download link');

  const response = await fetch(local(download.url));
  const body = Buffer.from(await response.arrayBuffer());
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-research-info-systems; charset=utf-8');
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="reading-list\.ris"/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(Number(response.headers.get('content-length'))).toBe(body.length);
  const text = body.toString('utf8');
  expect(text).toMatch(/^TY {2}- /);
  expect(text).toContain(`pmid${PMID}`);
  expect(text).toContain('N1  - Retracted publication.');

  // Byte for byte the export of the channel's ledger and PubMed's current record: nothing added or lost.
  const window = parseListWindow('this week', clock.now());
  const pubmed = h.server.core.watch.pubmed;
  if (!window.ok || !pubmed) throw new Error('a window and PubMed expected');
  const shares = await h.server.core.watch.ledger.inChannel(
    { platform: 'teams', channel: CHANNEL },
    window.sinceMs,
  );
  const records = (await pubmed.efetchFresh([PMID])).articles;
  const expected = exportReadingList('ris', {
    shares,
    articles: new Map(records.map((a) => [a.pmid, a])),
    windowLabel: window.label,
  });
  expect(text).toBe(expected.text);

  // Each export is its own link.
  await say('list this week as ris');
  const again = openUrls().find((a) => a.title === 'Download reading-list.ris');
  expect(again?.url).not.toBe(download.url);
  expect(await (await fetch(local(again?.url ?? ''))).text()).toBe(text);

  // Wrong token, wrong name, wrong method: the same 404.
  const token = /\/exports\/([^/]+)\//.exec(download.url)?.[1] ?? '';
  const other = token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  for (const [method, path] of [
    ['GET', `/exports/${other}/reading-list.ris`],
    ['GET', `/exports/${token}/reading-list.csv`],
    ['GET', `/exports/${token}`],
    ['GET', '/exports/short/reading-list.ris'],
    ['POST', `/exports/${token}/reading-list.ris`],
  ] as const) {
    const miss = await fetch(`${h.url}${path}`, { method });
    expect([path, method, miss.status, await miss.text()]).toEqual([path, method, 404, 'not found']);
  }

  // A day later the link is gone.
  ahead = DAY - 60_000;
  expect((await fetch(local(download.url))).status).toBe(200);
  ahead = DAY + 1;
  const expired = await fetch(local(download.url));
  expect([expired.status, await expired.text()]).toEqual([404, 'not found']);
  ahead = 0;
});

it('lays the export buttons out on the Teams reading list; a press answers the link like typing', async () => {
  await say('list last 7 days');
  const submits: { title: string; data: { command: string } }[] = [];
  JSON.parse(lastMessage(), (_key, value: unknown) => {
    const v = value as { type?: string; title?: string; data?: { command?: string } } | null;
    if (v && typeof v === 'object' && v.type === 'Action.Submit' && v.title && v.data?.command)
      submits.push({ title: v.title, data: { command: v.data.command } });
    return value;
  });
  expect(submits).toEqual([
    { title: 'Handout (HTML)', data: { command: 'list last 7 days as html' } },
    { title: 'RIS', data: { command: 'list last 7 days as ris' } },
    { title: 'BibTeX', data: { command: 'list last 7 days as bibtex' } },
    { title: 'CSV', data: { command: 'list last 7 days as csv' } },
  ]);

  // Teams sends a pressed Action.Submit's data as the activity's value.
  await h.post({ ...CHANNEL_ACTION, value: submits[0]?.data });
  const download = openUrls().find((a) => a.title === 'Download reading-list.html');
  if (!download) throw new Error('no download link');
  const response = await fetch(local(download.url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await response.text()).toContain('<!DOCTYPE html>');
});

it('says plainly that Teams exports need PAPERBOT_PUBLIC_URL when it is not set', async () => {
  const bare = await startHarness({ mount: 'direct' });
  try {
    await bare.post({ ...CHANNEL_ACTION, value: { command: `share ${PMID}` } });
    await bare.post({ ...CHANNEL_ACTION, value: { command: 'list as html' } });
    const answer = JSON.stringify(bare.connector.sent('message').at(-1)?.activity ?? {});
    expect(answer).toContain('Exports in Teams need PAPERBOT_PUBLIC_URL');
    expect(answer).not.toContain('Action.OpenUrl');
    expect((await fetch(`${bare.url}/exports/${'A'.repeat(32)}/reading-list.html`)).status).toBe(404);
  } finally {
    await bare.close();
  }
});
