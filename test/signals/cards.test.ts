// What a card and a citation say once signals join them: a publisher retraction is as loud as PubMed's
// (the Retracted badge, the warning naming its source, the note in every export); corrections stay on the
// signal line; absent signals are absent.

import fs from 'node:fs';
import path from 'node:path';
import type { Article } from '../../src/core/article';
import { articleCard } from '../../src/core/cards';
import { formatCitation } from '../../src/core/cite';
import { evidenceBadge } from '../../src/core/present/badges';
import { cardWarnings, warningText } from '../../src/core/present/notices';
import { signalParts } from '../../src/core/present/signals';
import { withPublisherWarnings } from '../../src/core/publisher-notices';
import { byCitations, withSignals } from '../../src/core/signal-round';
import type { ArticleSignals } from '../../src/core/signals';
import { mergeSignals } from '../../src/signals/combined';
import { parseArticleSet } from '../../src/pubmed/xml';

const xml = fs.readFileSync(
  path.join(__dirname, '..', 'fixtures', 'ncbi', 'efetch_pubmed_rct_phase3_databank_22663011.xml'),
  'utf8',
);
const article = parseArticleSet(xml).articles[0] as Article;
const card = articleCard(article, { detail: 'summary', source: 'pubmed', stale: false });

// No recorded Crossref retraction exists anywhere public; this is what its parser makes of one.
const RETRACTED: ArticleSignals = {
  publisherNotices: [
    {
      service: 'crossref',
      type: 'retraction',
      doi: '10.1000/r1',
      date: '2021-03-02',
      registeredBy: 'publisher',
    },
  ],
};

describe('a publisher retraction from Crossref', () => {
  const shown = withSignals(card, RETRACTED);

  it('marks the card retracted, so the Retracted badge wins', () => {
    expect(card.retracted).toBe(false);
    expect(shown.retracted).toBe(true);
    expect(evidenceBadge(shown)?.label).toBe('Retracted');
  });

  it('is the first warning, naming where it came from', () => {
    const [first] = cardWarnings(shown);
    expect(first?.wording.title).toBe('RETRACTED');
    expect(warningText(first ?? fail(), (r) => ('citation' in r ? r.citation : r.pmid))).toBe(
      'RETRACTED — this article has been retracted. Retraction notice: Publisher notice via Crossref, 2021, doi:10.1000/r1.',
    );
  });

  it('travels into every citation export', () => {
    const cited = withPublisherWarnings(article, RETRACTED);
    for (const format of ['ama', 'vancouver', 'apa'] as const)
      expect(formatCitation(cited, format)).toContain(
        'Retraction in: Publisher notice via Crossref, 2021, doi:10.1000/r1.',
      );
  });

  it('a Retraction Watch entry and a withdrawal are named as such', () => {
    const s: ArticleSignals = {
      publisherNotices: [
        { service: 'crossref', type: 'retraction', registeredBy: 'retraction-watch', date: '2020' },
        { service: 'crossref', type: 'withdrawal', date: '2019-01-01' },
      ],
    };
    expect(
      withSignals(card, s)
        .notices.slice(-2)
        .map((n) => n.source),
    ).toEqual([
      'Retraction Watch notice via Crossref, 2020',
      'Publisher withdrawal notice via Crossref, 2019',
    ]);
  });
});

describe('the signal line', () => {
  it('an expression of concern is a warning, a correction a quiet signal', () => {
    const s: ArticleSignals = {
      publisherNotices: [
        { service: 'crossref', type: 'expression-of-concern', date: '2022-01-01' },
        { service: 'crossref', type: 'correction', doi: '10.1000/c1', date: '2021-05-05' },
      ],
    };
    const shown = withSignals(card, s);
    expect(shown.retracted).toBe(false);
    expect(cardWarnings(shown).map((w) => w.wording.title)).toContain('Expression of concern');
    expect(signalParts(shown)).toEqual([
      { text: 'Publisher correction 2021', url: 'https://doi.org/10.1000/c1' },
    ]);
  });

  it('says "No open version" when Unpaywall looked and found none, and nothing when no one answered', () => {
    expect(
      signalParts(withSignals(card, { openAccess: { service: 'unpaywall', status: 'closed' } })),
    ).toEqual([{ text: 'No open version' }]);
    expect(signalParts(withSignals(card, undefined))).toEqual([]);
    expect(withSignals(card, undefined)).toBe(card);
  });

  it('the journal version before the preprint; two of each, then how many more; merged once each', () => {
    const v = (relation: 'preprint' | 'published', doi: string) => ({
      service: 'crossref',
      relation,
      doi,
      url: `https://doi.org/${doi}`,
    });
    const preprints = ['10.1101/1', '10.1101/2', '10.1101/3'].map((d) => v('preprint', d));
    const versions = mergeSignals([
      { service: 0, map: new Map([['1', { versions: [...preprints, v('published', '10.1000/j')] }]]) },
      { service: 1, map: new Map([['1', { versions: [v('preprint', '10.1101/1')] }]]) },
    ]).get('1');
    expect(signalParts(withSignals(card, versions))).toEqual([
      { text: 'Published version', url: 'https://doi.org/10.1000/j' },
      { text: 'Preprint version', url: 'https://doi.org/10.1101/1' },
      { text: 'Preprint version', url: 'https://doi.org/10.1101/2' },
      { text: '1 more preprint version' },
    ]);
  });

  it('a count of zero is shown as the service gave it, with no Cited by button', () => {
    const shown = withSignals(card, { citedBy: { service: 'europepmc', count: 0 } });
    expect(signalParts(shown)).toEqual([{ text: 'Cited by 0' }]);
    expect(shown.actions.map((a) => a.id)).not.toContain('cited-by');
  });
});

describe('the list buttons', () => {
  const ids = (s: ArticleSignals | undefined): string[] => withSignals(card, s).actions.map((a) => a.id);

  it('"References" when Europe PMC holds the reference list, after "Cited by" and before "Share"', () => {
    const shown = withSignals(card, {
      citedBy: { service: 'europepmc', count: 39 },
      references: { service: 'europepmc' },
    });
    const at = (id: string): number => shown.actions.findIndex((a) => a.id === id);
    expect(at('cited-by')).toBeGreaterThanOrEqual(0);
    expect(at('references')).toBe(at('cited-by') + 1);
    expect(at('share')).toBe(at('references') + 1);
    expect(shown.actions[at('references')]).toEqual({
      id: 'references',
      label: 'References',
      command: `references ${card.pmid}`,
    });
  });

  it('"References" alone when nobody cites it yet, and neither button without the signals', () => {
    const alone = ids({ citedBy: { service: 'europepmc', count: 0 }, references: { service: 'europepmc' } });
    expect(alone).toContain('references');
    expect(alone).not.toContain('cited-by');
    expect(alone.indexOf('references')).toBe(alone.indexOf('share') - 1);
    expect(ids({ citedBy: { service: 'europepmc', count: 3 } })).not.toContain('references');
    expect(ids(undefined)).toEqual(card.actions.map((a) => a.id));
  });

  it('adds each button once when signals reach a card twice', () => {
    const s: ArticleSignals = {
      citedBy: { service: 'europepmc', count: 2 },
      references: { service: 'europepmc' },
    };
    const twice = withSignals(withSignals(card, s), s).actions.map((a) => a.id);
    expect(twice.filter((id) => id === 'references')).toHaveLength(1);
    expect(twice.filter((id) => id === 'cited-by')).toHaveLength(1);
  });
});

describe('sort by citations', () => {
  it('most cited first, those without a count last in their order', () => {
    const at = (pmid: string, count?: number) =>
      withSignals(
        { ...card, pmid },
        count === undefined ? undefined : { citedBy: { service: 'europepmc', count } },
      );
    const sorted = byCitations([at('a'), at('b', 3), at('c'), at('d', 40), at('e', 3)]);
    expect(sorted.map((c) => (c.type === 'article' ? c.pmid : ''))).toEqual(['d', 'b', 'e', 'a', 'c']);
  });
});

function fail(): never {
  throw new Error('expected a warning');
}
