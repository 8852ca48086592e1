// The trial facts a tumor board acts on, worded once for every renderer: enrollment kind, study type and
// design, arms with their drugs, every primary outcome counted, eligibility essentials, the results tab.

import fs from 'node:fs';
import path from 'node:path';
import { parseStudy } from '../../../src/clinicaltrials/study';
import { trialCard } from '../../../src/core/cards';
import {
  ageRangeLabel,
  armLine,
  designLabel,
  eligibilityLabel,
  studyTypeLabel,
  trialLists,
} from '../../../src/core/present/trial-protocol';
import { criteriaLines } from '../../../src/core/present/trial-eligibility';
import { enrollmentLabel, trialView } from '../../../src/core/present/trials';
import type { Trial } from '../../../src/core/trial';

const same = (t: string): string => t;
const ink = { fit: same, mark: (e: { char: string }) => e.char };
const full = parseStudy(
  JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '..', '..', 'fixtures', 'clinicaltrials', 'v2_study_NCT04267848_1148_sites.json'),
      'utf8',
    ),
  ) as unknown,
);
const outcome = (n: number) => ({ measure: `Outcome ${n}`, timeFrame: `${n} years` });

describe('enrollment', () => {
  it('says enrolled, planned or participants as the registry and the status allow', () => {
    const e = (type: 'ACTUAL' | 'ESTIMATED' | undefined, status: Trial['status']) =>
      enrollmentLabel({ enrollment: { count: 1062, ...(type ? { type } : {}) }, status });
    expect(e('ACTUAL', 'RECRUITING')).toBe('1,062 enrolled');
    expect(e('ESTIMATED', 'NOT_YET_RECRUITING')).toBe('1,062 planned');
    expect(e(undefined, 'RECRUITING')).toBe('1,062 planned');
    expect(e(undefined, 'COMPLETED')).toBe('1,062 participants');
    expect(enrollmentLabel({ status: 'RECRUITING' })).toBeUndefined();
  });
});

describe('study type and design', () => {
  it('words the type, and allocation and masking for interventional studies only', () => {
    expect(studyTypeLabel(full, same)).toBe('Interventional');
    expect(designLabel(full, same)).toBe('Randomized · Open label (no masking)');
    expect(
      designLabel({ studyType: 'INTERVENTIONAL', design: { allocation: 'NA', masking: 'DOUBLE' } }, same),
    ).toBe('Double-blind');
    expect(
      designLabel({ studyType: 'OBSERVATIONAL', design: { allocation: 'RANDOMIZED' } }, same),
    ).toBeUndefined();
    expect(studyTypeLabel({ studyType: 'EXPANDED_ACCESS' }, same)).toBe('Expanded access');
    expect(studyTypeLabel({ studyType: 'NEW_KIND' }, same)).toBe('New kind');
  });
});

describe('arms', () => {
  it("lists each arm's label, type and drugs before its procedures", () => {
    const lists = trialLists(full, same);
    expect(lists[0]?.heading).toBe('Arms');
    expect(lists[0]?.items[1]).toBe(
      'Arm B (platinum doublet, sequential pembrolizumab) — Experimental: Carboplatin, Cisplatin, ' +
        'Gemcitabine Hydrochloride, Paclitaxel, Pembrolizumab, Pemetrexed Disodium, and 5 more',
    );
    expect(
      armLine({ label: 'Placebo', type: 'PLACEBO_COMPARATOR', interventions: ['Other: Placebo'] }, same),
    ).toBe('Placebo — Placebo comparator: Placebo');
  });

  it('falls back to the interventions when the record has no arms', () => {
    const lists = trialLists({ ...full, arms: [], interventions: [{ name: 'Toca 511' }] }, same);
    expect(lists[0]).toEqual({ heading: 'Interventions', items: ['Toca 511'] });
  });
});

describe('primary outcomes', () => {
  it('shows the first three with time frames, then how many more, under a heading that counts', () => {
    const four = trialLists({ ...full, primaryOutcomes: [1, 2, 3, 4].map(outcome) }, same);
    expect(four.find((l) => l.heading === 'Primary outcomes')?.items).toEqual([
      'Outcome 1 (1 years)',
      'Outcome 2 (2 years)',
      'Outcome 3 (3 years)',
      'and 1 more',
    ]);
    const one = trialLists({ ...full, primaryOutcomes: [{ measure: 'OS' }] }, same);
    expect(one.find((l) => l.heading.startsWith('Primary'))).toEqual({
      heading: 'Primary outcome',
      items: ['OS'],
    });
  });
});

describe('eligibility essentials', () => {
  it('words the age range, sex and healthy volunteers, and never the criteria themselves', () => {
    expect(eligibilityLabel(full, same)).toBe('Ages 18 years and older · All sexes · No healthy volunteers');
    expect(ageRangeLabel({ minimumAge: '18 Years', maximumAge: '75 Years' }, same)).toBe('18–75 years');
    expect(ageRangeLabel({ minimumAge: '6 Months', maximumAge: '17 Years' }, same)).toBe('6 months–17 years');
    expect(ageRangeLabel({ maximumAge: '17 Years' }, same)).toBe('up to 17 years');
    expect(
      eligibilityLabel(
        { eligibility: { sex: 'FEMALE', healthyVolunteers: true, criteria: 'Inclusion: x' } },
        same,
      ),
    ).toBe('Female only · Accepts healthy volunteers');
  });
});

describe('results posted', () => {
  it("links the study's results tab only when the registry has results", () => {
    const view = (hasResults: boolean) =>
      trialView(
        trialCard({ ...full, hasResults }, { detail: 'full', source: 'clinicaltrials', stale: false }),
        ink,
      );
    expect(view(true).results).toEqual({
      label: 'Results posted',
      url: 'https://clinicaltrials.gov/study/NCT04267848?tab=results',
    });
    expect(view(false).results).toBeUndefined();
  });
});

describe('publications by role', () => {
  it("puts the trial's results first and PubMed's automatic links last, tagged, with a note", () => {
    const references = [
      { pmid: '30000003', type: 'DERIVED' as const },
      { pmid: '30000002', type: 'BACKGROUND' as const },
      { pmid: '30000001', type: 'RESULT' as const },
    ];
    const card = trialCard(
      { ...full, references },
      { detail: 'full', source: 'clinicaltrials', stale: false, pubmedLinked: ['30000004'] },
    );
    const view = trialView(card, ink);
    expect(view.publications.map((p) => [p.pmid, p.tag])).toEqual([
      ['30000001', '(results)'],
      ['30000002', '(background)'],
      ['30000004', undefined],
      ['30000003', '(linked by PubMed)'],
    ]);
    expect(view.publicationsNote).toMatch(/added automatically and may only cite the trial/);
    const noDerived = trialView(
      trialCard(
        { ...full, references: references.slice(1) },
        { detail: 'full', source: 'clinicaltrials', stale: false },
      ),
      ink,
    );
    expect(noDerived.publicationsNote).toBeUndefined();
  });
});

describe('eligibility criteria', () => {
  it('keeps the record lines and their nesting, and only on an eligibility card', () => {
    expect(
      criteriaLines('Inclusion Criteria:\n\n* Adult\n\n  * not pregnant\n- ECOG 0-1\nExclusion Criteria:'),
    ).toEqual(['Inclusion Criteria:', '• Adult', '    ◦ not pregnant', '• ECOG 0-1', 'Exclusion Criteria:']);
    const opts = { detail: 'full', source: 'clinicaltrials', stale: false } as const;
    const view = trialView(trialCard(full, { ...opts, section: 'eligibility' }), ink);
    expect(view.criteria?.lines[0]).toBe('Inclusion Criteria:');
    expect(view.criteria?.note).toMatch(/does not judge whether a patient is eligible/);
    expect(view.criteria?.link.url).toBe('https://clinicaltrials.gov/study/NCT04267848');
    expect(view.lists).toEqual([]);
    expect(trialView(trialCard(full, opts), ink).criteria).toBeUndefined();
  });
});
