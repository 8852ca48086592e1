// withStatusCaveats: any answer with a card from the library or a cached copy says that the status a board
// acts on may be out of date, once, and never when a notice already says so.

import type { Article } from '../../src/core/article';
import { articleCard, trialCard } from '../../src/core/cards';
import { ARTICLE_STATUS_CAVEAT, TRIAL_STATUS_CAVEAT, withStatusCaveats } from '../../src/core/caveats';
import type { Reply } from '../../src/core/reply';
import type { Trial } from '../../src/core/trial';
import { offlineNotice, STALE_NOTICE } from '../../src/core/wording';

const article: Article = {
  kind: 'article',
  pmid: '22663011',
  title: [{ text: 'Improved survival with MEK inhibition in BRAF-mutated melanoma.' }],
  abstract: [],
  authors: [],
  publicationTypes: ['Randomized Controlled Trial'],
  evidence: 'rct',
  retracted: false,
  notices: [],
  mesh: [],
  trials: [],
};
const trial: Trial = {
  nct: 'NCT01245062',
  briefTitle: 'METRIC',
  phases: ['PHASE3'],
  conditions: [],
  interventions: [],
  arms: [],
  primaryOutcomes: [],
  locationCount: 0,
  hasResults: false,
  references: [],
};

const reply = (cards: Reply['cards'], notice?: string): Reply => ({
  cards,
  ...(notice ? { notice } : {}),
  visibility: 'private',
});
const fromPubmed = articleCard(article, { detail: 'summary', source: 'pubmed', stale: false });
const fromLibrary = articleCard(article, { detail: 'summary', source: 'library', stale: false });
const cachedCopy = articleCard(article, { detail: 'summary', source: 'pubmed', stale: true });

it('fresh PubMed cards need no caveat', () => {
  expect(withStatusCaveats(reply([fromPubmed])).notice).toBeUndefined();
});

it('a library card or a stale copy adds the retraction caveat after the notice already there', () => {
  expect(withStatusCaveats(reply([fromPubmed, fromLibrary], '1 more from the local library.')).notice).toBe(
    `1 more from the local library.\n${ARTICLE_STATUS_CAVEAT}`,
  );
  expect(withStatusCaveats(reply([cachedCopy])).notice).toBe(ARTICLE_STATUS_CAVEAT);
});

it('is said once: offline and stale notices already speak of retractions', () => {
  expect(withStatusCaveats(reply([fromLibrary], offlineNotice(1))).notice).toBe(offlineNotice(1));
  expect(withStatusCaveats(reply([cachedCopy], STALE_NOTICE)).notice).toBe(STALE_NOTICE);
});

it('trials from the library say their recruitment status may be out of date', () => {
  const local = trialCard(trial, { detail: 'summary', source: 'library', stale: false });
  expect(withStatusCaveats(reply([local])).notice).toBe(TRIAL_STATUS_CAVEAT);
  const live = trialCard(trial, { detail: 'summary', source: 'clinicaltrials', stale: false });
  expect(withStatusCaveats(reply([live])).notice).toBeUndefined();
});

it('a citation made from a copy carries the caveat though it has no article card', () => {
  const citation = reply([
    { type: 'citation', pmid: '22663011', format: 'ama', text: 'Flaherty KT, et al.' },
  ]);
  expect(withStatusCaveats(citation, true).notice).toBe(ARTICLE_STATUS_CAVEAT);
  expect(withStatusCaveats(citation, false).notice).toBeUndefined();
});
