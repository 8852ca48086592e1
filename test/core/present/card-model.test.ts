// The card model every renderer lays out: its tables are complete, and the decisions (which warning,
// in what order, with which links; which trial facts) are made here once, on recorded records.

import fs from 'node:fs';
import path from 'node:path';
import { parseStudy } from '../../../src/clinicaltrials/study';
import type { Notice } from '../../../src/core/article';
import { articleCard, trialCard } from '../../../src/core/cards';
import { CITATION_FORMATS } from '../../../src/core/cite';
import { provenance, trialRefs } from '../../../src/core/present/article';
import { headline, pageLine, resultCount } from '../../../src/core/present/reply';
import { EVIDENCE_BADGES } from '../../../src/core/present/badges';
import { digestCount } from '../../../src/core/present/digest';
import { articleLinks, pubmedUrl, safeUrl, trialUrl } from '../../../src/core/present/links';
import {
  cardMentions,
  cardWarnings,
  MAX_NOTICE_REFS,
  NOTICE_WORDING,
  warningText,
  type NoticeRef,
} from '../../../src/core/present/notices';
import { citationStyleLabel } from '../../../src/core/present/styles';
import { CITATION_STYLES, type CitationStyle } from '../../../src/core/styles';
import {
  enrollmentLabel,
  phaseLabel,
  publicationRefs,
  TRIAL_STATUS,
  trialDetails,
  trialFacts,
} from '../../../src/core/present/trials';
import { parseArticleSet } from '../../../src/pubmed/xml';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const article = (name: string) =>
  parseArticleSet(fs.readFileSync(path.join(FIXTURES, 'ncbi', name), 'utf8')).articles[0]!;
const study = (name: string) =>
  parseStudy(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'clinicaltrials', name), 'utf8')) as unknown);
const card = (notices: Notice[], retracted = false) =>
  articleCard(
    { ...article('efetch_pubmed_rct_phase3_databank_22663011.xml'), notices, retracted },
    { detail: 'summary', source: 'pubmed', stale: false },
  );
const plain = (r: NoticeRef): string => ('url' in r ? `PMID ${r.pmid}` : r.citation);
const same = (t: string): string => t;

describe('tables', () => {
  it('do not compile with an entry missing (tsc --noEmit checks these lines)', () => {
    // @ts-expect-error a badge table without every evidence level
    const badges: typeof EVIDENCE_BADGES = { guideline: undefined };
    // @ts-expect-error a notice kind without its wording
    const wording: typeof NOTICE_WORDING = { 'this:comment': { kind: 'mention', label: 'Comment in' } };
    // @ts-expect-error a citation style without its label
    const labels: CitationStyle = { kind: 'reference', format: () => '' };
    expect([badges, wording, labels]).toHaveLength(3);
  });

  it('words every notice type in both directions', () => {
    const types: Notice['type'][] = [
      'retraction',
      'erratum',
      'expression-of-concern',
      'update',
      'republished',
      'comment',
    ];
    const keys = (['this', 'other'] as const).flatMap((about) => types.map((type) => `${about}:${type}`));
    expect(Object.keys(NOTICE_WORDING).sort()).toEqual(keys.sort());
  });

  it("labels exactly the citation styles the core cites in, by each style's own label", () => {
    expect(Object.keys(CITATION_STYLES)).toEqual([...CITATION_FORMATS]);
    expect(CITATION_FORMATS.map(citationStyleLabel)).toEqual(['AMA', 'Vancouver', 'APA', 'BibTeX', 'RIS']);
  });

  it('badges every evidence level but "other", each with a Slack shortcode and a character', () => {
    for (const [level, badge] of Object.entries(EVIDENCE_BADGES)) {
      if (level === 'other') expect(badge).toBeUndefined();
      else expect(badge).toMatchObject({ label: expect.any(String), emoji: { name: /^[a-z_]+$/ } });
    }
    expect(EVIDENCE_BADGES.rct?.short).toBe('RCT');
  });

  it('names every registry status', () => {
    expect(Object.keys(TRIAL_STATUS)).toHaveLength(14);
    expect(TRIAL_STATUS.TERMINATED.tone).toBe('danger');
  });
});

describe('notices', () => {
  it('flags a retracted record even when PubMed linked no notice, without inventing a link', () => {
    const [warning, ...rest] = cardWarnings(card([], true));
    expect(rest).toEqual([]);
    expect(warningText(warning!, plain)).toBe('RETRACTED — this article has been retracted.');
  });

  it('puts the retraction first whatever the record order, then concern, erratum', () => {
    const warnings = cardWarnings(
      card([
        { type: 'erratum', about: 'this', pmid: '3' },
        { type: 'expression-of-concern', about: 'this', source: 'J Foo. 2020;1:2' },
        { type: 'retraction', about: 'this', pmid: '1' },
      ]),
    );
    expect(warnings.map((w) => warningText(w, plain))).toEqual([
      'RETRACTED — this article has been retracted. Retraction notice: PMID 1.',
      'Expression of concern — the journal has raised concerns about this article. Notice: J Foo. 2020;1:2.',
      'Erratum — a correction to this article was published. See PMID 3.',
    ]);
    expect(warnings.map((w) => w.wording.tone)).toEqual(['danger', 'caution', 'caution']);
  });

  it('never calls a retraction notice retracted', () => {
    const warnings = cardWarnings(card([{ type: 'retraction', about: 'other', pmid: '9' }]));
    expect(warnings.map((w) => warningText(w, plain))).toEqual([
      'Retraction notice — this record retracts PMID 9.',
    ]);
  });

  it('links valid PMIDs only, falls back to the citation, and names at most five records a line', () => {
    const comments: Notice[] = Array.from({ length: 7 }, (_, i) => ({
      type: 'comment',
      about: 'this',
      pmid: `${i + 1}`,
    }));
    const [mention] = cardMentions(
      card([{ type: 'update', about: 'other', pmid: 'x1', source: 'Lancet. 2020' }, ...comments]),
    ).reverse();
    expect(cardMentions(card(comments))[0]?.refs).toHaveLength(MAX_NOTICE_REFS);
    expect(cardMentions(card(comments))[0]?.more).toBe(7 - MAX_NOTICE_REFS);
    expect(cardMentions(card(comments))[0]?.refs[0]).toEqual({
      pmid: '1',
      url: 'https://pubmed.ncbi.nlm.nih.gov/1/',
    });
    expect(mention).toEqual({
      wording: { kind: 'mention', label: 'Update of' },
      refs: [{ citation: 'Lancet. 2020' }],
      more: 0,
    });
  });
});

describe('article facts', () => {
  it('builds links once, and none from an id that is not one', () => {
    expect(articleLinks({ pmid: '1', doi: '10.1/x', pmcid: 'PMC2' })).toEqual({
      pubmed: 'https://pubmed.ncbi.nlm.nih.gov/1/',
      doi: 'https://doi.org/10.1/x',
      pmc: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC2/',
    });
    expect(pubmedUrl('12a')).toBeUndefined();
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://doi.org/10.1002/<x>|"y"')).toBe('https://doi.org/10.1002/%3Cx%3E%7C%22y%22');
    expect(trialUrl('NCT0/../x')).toBe('https://clinicaltrials.gov/study/NCT0%2F..%2Fx');
  });

  it('links six valid registrations and counts the rest', () => {
    const trials = ['NCT00000001', 'bogus', ...Array.from({ length: 6 }, (_, i) => `NCT0000001${i}`)];
    const refs = trialRefs({ trials });
    expect(refs.ids.map((t) => t.nct)).toEqual(['NCT00000001', ...trials.slice(2, 7)]);
    expect(refs.more).toBe(2);
  });

  it('says where a copy came from, and what a notification shows', () => {
    expect(provenance({ source: 'library', stale: true }).map((p) => p.label)).toEqual([
      'local library',
      'cached copy',
    ]);
    expect(headline(card([], true))).toMatch(/^RETRACTED: /);
    expect(resultCount(1)).toBe('1 result');
    expect(resultCount(12345)).toBe('12,345 results');
  });

  it('continues the count on a later page and says nothing over an empty page', () => {
    const two = [card([]), card([])];
    expect(pageLine({ cards: two, total: 1234 })).toBe('1,234 results');
    expect(pageLine({ cards: two, total: 1234, first: 6 })).toBe('Results 6–7 of 1,234');
    expect(pageLine({ cards: two, first: 6 })).toBe('Results 6–7');
    expect(pageLine({ cards: [], total: 1234, first: 6 })).toBeUndefined();
    expect(pageLine({ cards: two })).toBeUndefined();
    expect([0, 1, 1234].map((count) => digestCount({ count }))).toEqual([
      'nothing new',
      '1 new paper, newest first',
      '1,234 new papers, newest first',
    ]);
  });
});

describe('trial facts', () => {
  const trial = study('v2_study_NCT06382129_nsclc_fields.json');
  const tc = trialCard(trial, {
    detail: 'full',
    source: 'library',
    stale: false,
    pubmedLinked: ['22663011', 'x'],
  });

  it('words status, phase, enrollment and sponsor for every platform alike', () => {
    expect(trialFacts(trial, same, (s) => s.label)).toEqual([
      'Active, not recruiting',
      'Interventional',
      'Phase 3',
      '698 planned', // no enrollment type and not closed: issue 14 item 1
      'Sichuan Baili Pharmaceutical Co., Ltd.',
    ]);
    expect(phaseLabel({ ...trial, phases: ['EARLY_PHASE1'] })).toBe('Phase early 1');
    expect(enrollmentLabel({ ...trial, enrollment: { count: 1062, type: 'ESTIMATED' } })).toBe(
      '1,062 planned',
    );
  });

  it('marks a library copy and names valid publications only', () => {
    expect(trialDetails(tc, same, (e) => e.char).at(-1)).toBe('🗄️ local library');
    expect(publicationRefs(tc).map((p) => p.pmid)).toEqual(['22663011']);
  });
});
