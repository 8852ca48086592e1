// /paper map in Slack through the fake Slack and the fake E-utilities: acked at once, the chart uploaded
// with files.uploadV2 (getUploadURLExternal → bytes → completeUploadExternal, no channel: the file stays the
// app's), shown privately as an image block with the counts linked to their searches; without files:write,
// the counts still arrive with a line saying why the chart is missing.

import type { KnownBlock } from '../../adapters/slack/kit';
import { allTexts, checkBlocks } from '../adapters/slack/block-checker';
import { startHarness, type Harness } from '../adapters/slack/harness';
import { paperCommand } from '../adapters/slack/slack-requests';
import { countFor, LEVEL_COUNTS } from './terms';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let h: Harness;

beforeAll(async () => {
  // A key lets a map's 11 counts through in about a second (10 a second instead of 3).
  h = await startHarness({ env: { NCBI_API_KEY: 'testkey0123456789' } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
  h.eutils.reset();
  h.eutils.setCounts(countFor);
});

interface Answer {
  response_type?: string;
  replace_original?: boolean;
  blocks?: KnownBlock[];
}

async function map(text: string): Promise<{ ack: string; answer: Answer }> {
  const url = h.slack.responseUrl();
  const posted = await h.poster.post(paperCommand(text, url));
  expect(posted.status).toBe(200);
  const answer = (await h.slack.nextResponse(url, 20_000)).body as Answer;
  return { ack: posted.body, answer };
}

it('uploads the chart privately and shows it with every count linked to its PubMed search', async () => {
  const { ack, answer } = await map('map braf melanoma since:2025');
  expect(ack).toContain('Searching PubMed');
  expect(ack).not.toContain('blocks');
  expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: true });
  expect(checkBlocks(answer.blocks)).toEqual([]);

  const [asked] = h.slack.callsTo('files.getUploadURLExternal');
  const [upload] = h.slack.files;
  expect(upload).toBeDefined();
  const at = upload?.bytes?.indexOf(PNG) ?? -1;
  expect(at).toBeGreaterThan(-1);
  expect(upload?.bytes?.readUInt32BE(at + 16)).toBe(960);
  expect(Number(asked?.params.length)).toBe(upload?.length);
  const [completed] = h.slack.callsTo('files.completeUploadExternal');
  expect(completed?.params.channel_id).toBeUndefined();
  expect(completed?.params.channels).toBeUndefined();

  const image = answer.blocks?.find((b) => b.type === 'image');
  expect(image).toMatchObject({ type: 'image', slack_file: { id: upload?.id } });
  expect(String((image as { alt_text?: string }).alt_text)).toContain('Meta-analyses 312');

  const text = allTexts(answer.blocks).join('\n');
  expect(text).toContain(
    `<https://pubmed.ncbi.nlm.nih.gov/?term=${encodeURIComponent('(braf melanoma) AND (meta-analysis[pt]) AND ("2025"[dp] : "3000"[dp])')}|*${LEVEL_COUNTS['meta-analysis']}*>`,
  );
  expect(text).toContain('Randomized controlled trials');
  expect(text).toContain('2026 is the year so far.');
});

it('without files:write still answers with the counts, saying why the chart is missing', async () => {
  h.slack.fail('files.getUploadURLExternal', [{ error: 'missing_scope' }]);
  const { answer } = await map('map braf melanoma since:2026');
  expect(checkBlocks(answer.blocks)).toEqual([]);
  expect(answer.blocks?.some((b) => b.type === 'image')).toBe(false);
  const text = allTexts(answer.blocks).join('\n');
  expect(text).toContain('files:write');
  expect(text).toContain(`*${LEVEL_COUNTS.review.toLocaleString('en-US')}*`);
  expect(h.slack.files).toHaveLength(0);
});

it('refuses a type: filter with a friendly answer and no lookup', async () => {
  const { answer } = await map('map braf melanoma type:rct');
  expect(allTexts(answer.blocks).join('\n')).toContain('already counts every type of study');
  expect(h.eutils.requests).toHaveLength(0);
});
