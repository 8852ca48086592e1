// What counts as news for a channel: new retractions and notices, a trial's status, results and result
// publications; disappearances and absent values are not. And the reading list's windows.

import { parseCommand } from '../../src/core/commands';
import type { ArticleStatus, TrialWatchStatus } from '../../src/core/shares';
import { changesBetween, sameStatus } from '../../src/watch/compare';
import { readingListCard } from '../../src/watch/reading-list';
import type { WatchedShare } from '../../src/watch/types';
import { parseListWindow } from '../../src/watch/window';

const article = (over: Partial<ArticleStatus> = {}): ArticleStatus => ({
  kind: 'article',
  retracted: false,
  notices: [],
  ...over,
});
const trial = (over: Partial<TrialWatchStatus> = {}): TrialWatchStatus => ({
  kind: 'trial',
  status: 'RECRUITING',
  hasResults: false,
  resultPmids: [],
  ...over,
});

describe('changesBetween', () => {
  it('a retraction leads, with its notice; other new notices follow', () => {
    const after = article({
      retracted: true,
      notices: [
        { type: 'erratum', pmid: '35767954' },
        { type: 'retraction', source: 'Cell Rep. 2026' },
      ],
    });
    expect(changesBetween(article(), after)).toEqual([
      { kind: 'retracted', notice: { type: 'retraction', source: 'Cell Rep. 2026' } },
      { kind: 'notice', notice: { type: 'erratum', pmid: '35767954' } },
    ]);
  });

  it('a notice already told, or one that disappeared, is no news', () => {
    const told = article({ notices: [{ type: 'erratum', pmid: '1' }] });
    expect(changesBetween(told, told)).toEqual([]);
    expect(changesBetween(told, article())).toEqual([]);
    expect(sameStatus(told, article())).toBe(false);
  });

  it('trials: status, results posted, new RESULT publications; an absent status is not a change', () => {
    expect(
      changesBetween(
        trial(),
        trial({ status: 'SUSPENDED', whyStopped: 'Safety review', hasResults: true, resultPmids: ['123'] }),
      ),
    ).toEqual([
      { kind: 'status', from: 'RECRUITING', to: 'SUSPENDED', whyStopped: 'Safety review' },
      { kind: 'results-posted' },
      { kind: 'result-publication', pmid: '123' },
    ]);
    const { status: _none, ...withoutStatus } = trial();
    expect(changesBetween(trial(), withoutStatus)).toEqual([]);
  });

  it('the same status in another order is the same', () => {
    const a = article({
      notices: [
        { type: 'erratum', pmid: '1' },
        { type: 'update', pmid: '2' },
      ],
    });
    const b = article({
      notices: [
        { type: 'update', pmid: '2' },
        { type: 'erratum', pmid: '1' },
      ],
    });
    expect(sameStatus(a, b)).toBe(true);
  });
});

describe('the grammar', () => {
  it('watch, unwatch, list and share NCT… are commands', () => {
    expect(parseCommand('watch', 2026)).toEqual({ kind: 'watch', verb: 'watch', text: '' });
    expect(parseCommand('unwatch 29658856', 2026)).toEqual({
      kind: 'watch',
      verb: 'unwatch',
      text: '29658856',
    });
    expect(parseCommand('list last 30 days', 2026)).toEqual({
      kind: 'watch',
      verb: 'list',
      text: 'last 30 days',
    });
    expect(parseCommand('share nct02576665', 2026)).toEqual({ kind: 'shareTrial', nct: 'NCT02576665' });
  });
});

describe('parseListWindow', () => {
  const now = Date.parse('2026-12-06T07:30:00Z'); // a Sunday

  it.each([
    ['', Date.parse('2026-11-06T07:30:00Z')],
    ['last 30 days', Date.parse('2026-11-06T07:30:00Z')],
    ['this week', Date.parse('2026-11-30T00:00:00Z')],
    ['since 2026-11-01', Date.parse('2026-11-01T00:00:00Z')],
  ])('"%s"', (text, since) => {
    expect(parseListWindow(text, now)).toMatchObject({ ok: true, sinceMs: since });
  });

  it.each(['since 2026-02-30', 'since 2027-01-01', 'last week', 'last 0 days'])('refuses "%s"', (text) => {
    expect(parseListWindow(text, now)).toMatchObject({ ok: false });
  });
});

describe('the reading list card', () => {
  it('groups by evidence, strongest first, lists a paper shared twice once, and stays within Slack limits', () => {
    const share = (i: number, evidence: 'rct' | 'review', pmid = String(1000 + i)): WatchedShare => ({
      id: `s${i}`,
      platform: 'slack',
      channel: 'C1',
      messageId: `m${i}`,
      item: { kind: 'article', id: pmid },
      title: `A title long enough to matter in a list of many shared papers, number ${i}`.repeat(2),
      by: { id: 'U1' },
      at: i,
      status: article(i === 3 ? { retracted: true } : {}),
      facts: { evidence, journal: 'J Clin Oncol', year: '2024' },
      told: [],
    });
    const shares = [
      ...Array.from({ length: 150 }, (_, i) => share(i, i % 2 ? 'review' : 'rct')),
      share(-1, 'rct', '1000'),
    ];
    const card = readingListCard(shares, 'in the last 30 days');
    expect(card.sections.map((s) => s.heading)).toEqual(['Randomized controlled trial', 'Review']);
    for (const s of card.sections) expect(s.lines.join('\n').length).toBeLessThan(3000);
    expect(card.sections[0]?.lines.at(-1)).toMatch(/^… and \d+ more/);
    expect(card.sections[0]?.lines.filter((l) => l.includes('PMID 1000')).length).toBe(1);
    expect(card.sections[1]?.lines[1]).toContain('RETRACTED');
  });

  const one: WatchedShare = {
    id: 's1',
    platform: 'slack',
    channel: 'C1',
    messageId: 'm1',
    item: { kind: 'article', id: '22663011' },
    title: 'Improved survival with MEK inhibition in BRAF-mutated melanoma.',
    by: { id: 'U1' },
    at: 1,
    status: article(),
    facts: { evidence: 'rct' },
    told: [],
  };

  it.each([
    ['this week', 'list this week as '],
    ['  since   2026-11-01 ', 'list since 2026-11-01 as '],
    ['', 'list as '],
  ])('offers each export for the same window ("%s")', (typed, prefix) => {
    const card = readingListCard([one], 'this week', typed);
    expect(card.actions?.map((a) => [a.label, a.command])).toEqual([
      ['Handout (HTML)', `${prefix}html`],
      ['RIS', `${prefix}ris`],
      ['BibTeX', `${prefix}bibtex`],
      ['CSV', `${prefix}csv`],
    ]);
  });

  it('offers no export of an empty list', () => {
    expect(readingListCard([], 'this week', 'this week').actions).toBeUndefined();
  });
});
