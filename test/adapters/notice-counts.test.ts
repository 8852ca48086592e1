// A much-discussed article looks it on every platform: the comments past the five named are counted, in the
// same words, by the terminal, Slack and Teams (issue 14, item 11), on a recorded PubMed record.

import fs from 'node:fs';
import path from 'node:path';
import { renderReply as renderCli } from '../../adapters/cli/render';
import { renderReply as renderSlack } from '../../adapters/slack/blocks';
import { renderReply as renderTeams } from '../../adapters/teams/cards';
import type { Notice } from '../../src/core/article';
import { articleCard } from '../../src/core/cards';
import type { Reply } from '../../src/core/reply';
import { parseArticleSet } from '../../src/pubmed/xml';

const xml = fs.readFileSync(
  path.join(__dirname, '..', 'fixtures', 'ncbi', 'efetch_pubmed_rct_phase3_databank_22663011.xml'),
  'utf8',
);
const record = parseArticleSet(xml).articles[0]!;
const comments: Notice[] = Array.from({ length: 8 }, (_, i) => ({
  type: 'comment',
  about: 'this',
  pmid: `${100 + i}`,
}));
const reply: Reply = {
  cards: [
    articleCard({ ...record, notices: comments }, { detail: 'summary', source: 'pubmed', stale: false }),
  ],
  visibility: 'private',
};

it.each([
  ['terminal', () => renderCli(reply, { color: false, width: 200 })],
  ['Slack', () => JSON.stringify(renderSlack(reply, {}))],
  ['Teams', () => JSON.stringify(renderTeams(reply))],
])('%s names five comments and counts the other three', (_, render) => {
  const out = render();
  expect(out).toContain('Comment in');
  expect(out).toContain('PMID 104');
  expect(out).not.toContain('PMID 105');
  expect(out).toContain(' and 3 more');
});
