// Every card the three renderers draw, built from recorded records plus every notice direction and type:
// the cases render-golden.test.ts hashes so that moving decisions into the core card model changes no output.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { renderReply as renderCli } from '../../../adapters/cli/render';
import { renderDigest } from '../../../adapters/slack/blocks-digest';
import { renderReply as renderSlack } from '../../../adapters/slack/blocks';
import { homeView } from '../../../adapters/slack/home';
import { renderDelivery } from '../../../adapters/teams/cards-digest';
import { renderReply as renderTeams } from '../../../adapters/teams/cards';
import { parseStudy, parseStudyPage } from '../../../src/clinicaltrials/study';
import type { Article, Notice } from '../../../src/core/article';
import { articleCard, trialCard } from '../../../src/core/cards';
import { CITATION_FORMATS } from '../../../src/core/cite';
import { digestCard, digestReply } from '../../../src/core/digest-cards';
import { EVIDENCE_LEVELS } from '../../../src/core/evidence-map';
import { mapCard } from '../../../src/core/present/evidence-map';
import { helpCard } from '../../../src/core/help';
import type { Card, Reply } from '../../../src/core/reply';
import { withSignals } from '../../../src/core/signal-round';
import type { ArticleSignals } from '../../../src/core/signals';
import { parseWork } from '../../../src/crossref/parse';
import { parseLiteSearch } from '../../../src/europepmc/parse';
import { signalsOf } from '../../../src/europepmc/service';
import { mergeSignals } from '../../../src/signals/combined';
import { parseUnpaywall } from '../../../src/unpaywall/parse';
import type { Trial } from '../../../src/core/trial';
import type { SiteLookout } from '../../../src/core/trial-sites';
import { parseArticleSet } from '../../../src/pubmed/xml';
import { readingListCard } from '../../../src/watch/reading-list';
import type { WatchedShare } from '../../../src/watch/types';
import { recordedCrossrefWork } from '../../peers/signal-fixtures';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const NOTICE_TYPES: Notice['type'][] = [
  'retraction',
  'erratum',
  'expression-of-concern',
  'update',
  'republished',
  'comment',
];

function articles(): Article[] {
  const dir = path.join(FIXTURES, 'ncbi');
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('efetch_') && f.endsWith('.xml'))
    .sort()
    .flatMap((f) => parseArticleSet(fs.readFileSync(path.join(dir, f), 'utf8')).articles);
}

function trials(): Trial[] {
  const dir = path.join(FIXTURES, 'clinicaltrials');
  const out: Trial[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (f.startsWith('v2_study_')) out.push(parseStudy(json));
    else out.push(...parseStudyPage(json).studies);
  }
  return out;
}

/** Every notice a card can carry: each type in each direction, with a PMID and with only a citation. */
function noticeVariants(base: Article): Article[] {
  const variants: Article[] = [{ ...base, retracted: true, notices: [] }];
  for (const about of ['this', 'other'] as const)
    for (const type of NOTICE_TYPES) {
      const notices: Notice[] = [
        { type, about, pmid: '35767954' },
        { type, about, source: 'Lancet. 2020 Jun 13;395(10240):1820' },
      ];
      variants.push({ ...base, retracted: type === 'retraction' && about === 'this', notices });
    }
  return variants;
}

const signalJson = (service: string, name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'signals', service, name), 'utf8'));

/** Signals as the services' parsers read them from recorded answers, alone and merged. */
function signalVariants(): [string, ArticleSignals][] {
  const epmcRecord = parseLiteSearch(
    signalJson('europepmc', 'epmc-search-EXT_ID-20516115-SRC-MED-lite.json'),
  ).get('20516115');
  const epmc = epmcRecord ? signalsOf(epmcRecord) : {};
  const hybrid = parseUnpaywall(signalJson('unpaywall', 'unpaywall-10.1016_j.addr.2015.01.008-hybrid.json'));
  const closed = parseUnpaywall(signalJson('unpaywall', 'unpaywall-10.1007_s40278-023-41815-2-closed.json'));
  const corrections = parseWork(
    signalJson('crossref', 'crossref-works-10.1371_journal.pone.0033693-updated-by-correction.json'),
  ).notices;
  const preprint = parseWork(recordedCrossrefWork('10.1371/journal.pone.0173707')).versions;
  const merged = (maps: ArticleSignals[]): ArticleSignals =>
    mergeSignals(maps.map((s, service) => ({ service, map: new Map([['1', s]]) }))).get('1') ?? {};
  // No recorded Crossref retraction exists: this one is built as the parser would read one.
  const retraction: ArticleSignals = {
    publisherNotices: [
      {
        service: 'crossref',
        type: 'retraction',
        doi: '10.1000/retraction.1',
        date: '2021-03-02',
        registeredBy: 'publisher',
      },
    ],
  };
  return [
    ['europepmc', epmc],
    ['all', merged([epmc, { openAccess: hybrid }, { publisherNotices: corrections }])],
    ['closed', { openAccess: closed }],
    ['publisher retraction', merged([epmc, retraction])],
    ['preprint version', merged([epmc, { versions: preprint }])],
  ];
}

function replies(): [string, Reply][] {
  const out: [string, Reply][] = [];
  const all = articles();
  const reply = (cards: Card[], extra: Partial<Reply> = {}): Reply => ({
    cards,
    visibility: 'private',
    ...extra,
  });
  all.forEach((a, i) => {
    for (const detail of ['summary', 'full'] as const)
      out.push([
        `article ${i} ${a.pmid} ${detail}`,
        reply([articleCard(a, { detail, source: 'pubmed', stale: false })]),
      ]);
  });
  const base = all.find((a) => a.pmid === '22663011') ?? (all[0] as Article);
  noticeVariants(base).forEach((a, i) => {
    for (const detail of ['summary', 'full'] as const)
      out.push([
        `notices ${i} ${detail}`,
        reply([articleCard(a, { detail, source: 'library', stale: true })]),
      ]);
  });
  for (const [name, signals] of signalVariants())
    for (const detail of ['summary', 'full'] as const)
      out.push([
        `signals ${name} ${detail}`,
        reply([withSignals(articleCard(base, { detail, source: 'pubmed', stale: false }), signals)]),
      ]);
  trials().forEach((t, i) => {
    for (const detail of ['summary', 'full'] as const)
      out.push([
        `trial ${i} ${t.nct} ${detail}`,
        reply([
          trialCard(t, { detail, source: 'clinicaltrials', stale: i % 2 === 1, pubmedLinked: ['22663011'] }),
        ]),
      ]);
  });
  // Trial search cards: the sites nearest a board (km), a typed point (miles), a place the registry matched.
  const alchemist = trials().find((t) => t.nct === 'NCT04267848') as Trial;
  const board = { point: { lat: 42.3626, lon: -71.0702 }, name: 'Boston tumor board' };
  const lookouts: [string, SiteLookout][] = [
    ['board km', { kind: 'point', reference: board, radius: { value: 50, unit: 'km' } }],
    [
      'point mi',
      {
        kind: 'point',
        reference: { point: { lat: 61.2, lon: -149.9 }, name: '61.2000, -149.9000' },
        radius: { value: 30, unit: 'mi' },
      },
    ],
    ['place', { kind: 'place', place: 'Anchorage' }],
  ];
  for (const [label, lookout] of lookouts)
    for (const detail of ['summary', 'full'] as const)
      out.push([
        `trial sites ${label} ${detail}`,
        reply([trialCard(alchemist, { detail, source: 'clinicaltrials', stale: false, lookout })]),
      ]);
  for (const format of CITATION_FORMATS)
    out.push([
      `citation ${format}`,
      reply([{ type: 'citation', pmid: '22663011', format, text: `A. B.\nC ${format}` }]),
    ]);
  out.push(['help', reply([helpCard()])]);
  out.push(['reading list', reply([readingList()])]);
  out.push([
    'reading list download',
    reply(
      [
        {
          type: 'help',
          title: 'Reading list — shared this week (since 2026-11-30)',
          sections: [{ heading: 'RIS export, 2 items', lines: ['The download link expires in 24 hours.'] }],
          link: {
            label: 'Download reading-list.ris',
            url: 'https://paperbot.example.org/exports/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/reading-list.ris',
          },
        },
      ],
      { visibility: 'channel', sharedBy: { id: 'U123', name: 'Ann' } },
    ),
  ]);
  for (const [name, card] of mapCards()) out.push([name, reply([card])]);
  out.push(['error', reply([{ type: 'error', message: 'No luck <here>', hint: 'Try *that*' }])]);
  const page = all
    .slice(0, 5)
    .map((a) => articleCard(a, { detail: 'summary', source: 'pubmed', stale: false }));
  out.push([
    'page',
    reply(page, {
      notice: 'PubMed warning\nsecond line',
      total: 1234,
      more: 'more abc',
      visibility: 'channel',
      sharedBy: { id: 'U123', name: 'Ann' },
    }),
  ]);
  return out;
}

/** A channel's reading list with its export buttons: an article with a retraction, a terminated trial. */
function readingList(): ReturnType<typeof readingListCard> {
  const base = { platform: 'slack' as const, channel: 'C1', by: { id: 'U1' }, told: [] };
  const shares: WatchedShare[] = [
    {
      ...base,
      id: 's1',
      messageId: 'm1',
      at: 1,
      item: { kind: 'article', id: '22663011' },
      title: 'Improved survival with MEK inhibition in BRAF-mutated melanoma.',
      status: { kind: 'article', retracted: true, notices: [{ type: 'retraction', pmid: '1' }] },
      facts: { evidence: 'rct', journal: 'N Engl J Med', year: '2012' },
    },
    {
      ...base,
      id: 's2',
      messageId: 'm2',
      at: 2,
      item: { kind: 'trial', id: 'NCT02578680' },
      title: 'A <b> trial & more',
      status: { kind: 'trial', status: 'TERMINATED', hasResults: true, resultPmids: [] },
      facts: { phases: ['PHASE3'] },
    },
  ];
  return readingListCard(shares, 'this week (since 2026-11-30)', 'this week');
}

/** Evidence maps: every count known, and some unknown (a failed level, failed years, a long query). */
function mapCards(): [string, ReturnType<typeof mapCard>][] {
  const q = { terms: 'pembrolizumab "non-small cell lung"[tiab] <b>', since: 2010 };
  const counts = (unknown: boolean) => ({
    total: { search: '(pembrolizumab) AND ("2010"[dp] : "3000"[dp])', count: 23456 },
    levels: EVIDENCE_LEVELS.map((level, i) => ({
      level,
      search: `(pembrolizumab) AND (level ${i}[pt])`,
      ...(unknown && level === 'observational' ? {} : { count: i * 1234 }),
    })),
    years: Array.from({ length: 17 }, (_, i) => ({
      year: 2010 + i,
      search: `(pembrolizumab) AND ("${2010 + i}"[dp] : "${2010 + i}"[dp])`,
      ...(unknown && i < 3 ? {} : { count: i * i * 7 }),
    })),
    notices: [],
    stale: unknown,
  });
  return [
    ['map', mapCard(q, counts(false), 2026)],
    ['map unknown', mapCard({ ...q, terms: `${q.terms} ${'x'.repeat(600)}` }, counts(true), 2026)],
  ];
}

function digests(): [string, Reply & { digest: ReturnType<typeof digestCard> }][] {
  const all = articles().slice(0, 14);
  return [3, 14].map((count) => {
    const card = digestCard({
      subscriptionId: '7',
      query: 'immunotherapy type:rct',
      window: { from: '2026/11/25', to: '2026/11/26' },
      count: count === 14 ? 40 : count,
      articles: all.slice(0, count),
      searchUrl: 'https://pubmed.ncbi.nlm.nih.gov/?term=x',
      stale: count === 3,
    });
    return [`digest ${count}`, digestReply(card, 'channel')];
  });
}

const hash = (value: unknown): string =>
  createHash('sha256')
    .update(typeof value === 'string' ? value : JSON.stringify(value))
    .digest('hex')
    .slice(0, 16);

/** Case name → a short hash of each renderer's output for it. */
export function renderHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, r] of replies()) {
    out[`slack ${name}`] = hash(renderSlack(r, { messageKey: 'k1' }));
    out[`slack compact ${name}`] = hash(renderSlack(r, { compact: true }));
    out[`teams ${name}`] = hash(renderTeams(r));
    out[`teams compact ${name}`] = hash(renderTeams(r, { compact: true, omit: new Set(['share']) }));
    out[`cli ${name}`] = hash(renderCli(r, { color: false, width: 100 }));
    out[`cli color ${name}`] = hash(renderCli(r, { color: true, width: 72 }));
  }
  for (const [name, r] of digests()) {
    out[`slack ${name}`] = hash(renderDigest(r.digest, r));
    out[`teams ${name}`] = hash(renderDelivery(r));
  }
  out['slack home'] = hash(homeView({ cards: [helpCard()], visibility: 'private' }));
  for (const [name, card] of mapCards()) {
    const r: Reply = { cards: [card], visibility: 'private' };
    out[`slack ${name} chart`] = hash(renderSlack(r, { messageKey: 'k1', chart: { fileId: 'F00FAKE0001' } }));
    out[`slack ${name} no chart`] = hash(
      renderSlack(r, { messageKey: 'k1', chart: { problem: 'permission' } }),
    );
    out[`teams ${name} chart`] = hash(
      renderTeams(r, { chart: { dataUri: 'data:image/png;base64,iVBORw0KGgo=' } }),
    );
    out[`teams ${name} no chart`] = hash(renderTeams(r, { chart: { problem: 'failed' } }));
  }
  return out;
}

export const GOLDEN_PATH = path.join(__dirname, 'render-hashes.json');
