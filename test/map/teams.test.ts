// "paper map …" in Teams: one Adaptive Card with the chart as a PNG data: URI (no public image host), the
// counts linked to their PubMed searches, within the message size Teams accepts.

import type { AdaptiveCard, CardElement, ImageElement } from '../../adapters/teams/adaptive';
import { messageSize, MAX_MESSAGE_CHARS } from '../../adapters/teams/cards';
import type { ConnectorRequest } from '../peers/connector';
import { fixture, startHarness, type Harness } from '../adapters/teams/harness';
import { countFor, LEVEL_COUNTS } from './terms';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { NCBI_API_KEY: 'testkey0123456789' } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.connector.reset();
  h.eutils.reset();
  h.eutils.setCounts(countFor);
});

const DM = fixture('vercel_teams_dm.json', 'dmMessage');

/** Every Image element, inside containers too (each card of a reply is one Container). */
function imagesIn(elements: readonly CardElement[]): ImageElement[] {
  return elements.flatMap((e) =>
    e.type === 'Image' ? [e] : e.type === 'Container' ? imagesIn(e.items) : [],
  );
}

function cardOf(request: ConnectorRequest | undefined): AdaptiveCard {
  const attachments = request?.activity.attachments as { content: AdaptiveCard }[] | undefined;
  const first = attachments?.[0];
  if (!first) throw new Error('no attachment in the posted activity');
  return first.content;
}

it('answers with the chart as a data: URI and every count linked to its search', async () => {
  expect((await h.post({ ...DM, text: 'paper map braf melanoma since:2025' })).status).toBe(200);
  const sent = h.connector.sent('message');
  expect(sent).toHaveLength(1);
  const card = cardOf(sent[0]);
  const image = imagesIn(card.body)[0];
  expect(image).toBeDefined();
  expect(image?.altText).toContain('Case reports');
  const url = image?.url ?? '';
  expect(url.startsWith('data:image/png;base64,')).toBe(true);
  const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width: 960, height: 640 });

  const json = JSON.stringify(card);
  expect(json).toContain(String(LEVEL_COUNTS['case-report']));
  expect(json).toContain(
    `https://pubmed.ncbi.nlm.nih.gov/?term=${encodeURIComponent('(braf melanoma) AND (case reports[pt]) AND ("2025"[dp] : "3000"[dp])')}`,
  );
  // The base64 image is not counted by Teams; the rest stays within our bound.
  expect(messageSize(sent[0]?.activity)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
});
