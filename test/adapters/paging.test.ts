// A second page continues the first: positions and the count line carry on from where page one stopped, in
// the same words on every platform (issue 14, item 14), on a recorded PubMed record.

import fs from 'node:fs';
import path from 'node:path';
import { renderReply as renderCli } from '../../adapters/cli/render';
import { renderReply as renderSlack } from '../../adapters/slack/blocks';
import { renderReply as renderTeams } from '../../adapters/teams/cards';
import { articleCard } from '../../src/core/cards';
import type { Reply } from '../../src/core/reply';
import { parseArticleSet } from '../../src/pubmed/xml';

const xml = fs.readFileSync(
  path.join(__dirname, '..', 'fixtures', 'ncbi', 'efetch_pubmed_rct_phase3_databank_22663011.xml'),
  'utf8',
);
const card = articleCard(parseArticleSet(xml).articles[0]!, {
  detail: 'summary',
  source: 'pubmed',
  stale: false,
});
const page = (first?: number): Reply => ({
  cards: [card, card],
  visibility: 'private',
  total: 12,
  more: 'more abc',
  ...(first ? { first } : {}),
});

it.each([
  ['Slack', (r: Reply) => JSON.stringify(renderSlack(r, {}))],
  ['Teams', (r: Reply) => JSON.stringify(renderTeams(r))],
])('%s counts a later page from where the first stopped', (_, render) => {
  expect(render(page())).toContain('12 results');
  expect(render(page(6))).toContain('Results 6–7 of 12');
  expect(render(page(6))).not.toContain('12 results');
});

it('the terminal numbers the cards of a later page on from the first', () => {
  const first = renderCli(page(), { color: false, width: 200 });
  const later = renderCli(page(6), { color: false, width: 200 });
  expect(first).toContain('12 results');
  expect(later).toContain('Results 6–7 of 12');
  expect(first).toMatch(/^ ?1\. /m);
  expect(first).toMatch(/^ ?2\. /m);
  expect(later).toMatch(/^ ?6\. /m);
  expect(later).toMatch(/^ ?7\. /m);
  expect(later).not.toMatch(/^ ?1\. /m);
});
