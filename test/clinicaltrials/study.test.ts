// parseStudy / parseStudyPage against the recorded ClinicalTrials.gov API v2 responses in test/fixtures.
// Expected values were read from the fixture files by hand, not produced by the parser.

import fs from 'node:fs';
import path from 'node:path';
import { PaperbotError } from '../../src/core/errors';
import { parseStudy, parseStudyPage } from '../../src/clinicaltrials/study';
import { enrollmentKind } from '../../src/core/trial';

const DIR = path.join(__dirname, '..', 'fixtures', 'clinicaltrials');
const load = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')) as unknown;
/** A deep copy of a recorded study, for fields the fields=-filtered recordings do not carry. */
const copyOf = (name: string): Record<string, Record<string, Record<string, unknown>>> =>
  structuredClone(load(name)) as Record<string, Record<string, Record<string, unknown>>>;

function caught(fn: () => unknown): PaperbotError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PaperbotError) return err;
    throw err;
  }
  throw new Error('expected a PaperbotError');
}

describe('parseStudy on recorded single studies', () => {
  test('NCT02576665 (glioma / solid tumours, terminated, with locations)', () => {
    const trial = parseStudy(load('v2_study_NCT02576665_fields.json'));
    expect(trial.nct).toBe('NCT02576665');
    expect(trial.briefTitle).toBe(
      'A Study of Toca 511, a Retroviral Replicating Vector, Combined With Toca FC in Patients With Solid Tumors or Lymphoma (Toca 6)',
    );
    expect(trial.status).toBe('TERMINATED');
    expect(trial.phases).toEqual(['PHASE1']);
    expect(trial.studyType).toBe('INTERVENTIONAL');
    // A month-only date stays a month; no type was recorded, so none is invented.
    expect(trial.startDate).toEqual({ date: '2016-07' });
    expect(trial.completionDate).toEqual({ date: '2019-12-20' });
    expect(trial.primaryCompletionDate).toBeUndefined();
    expect(trial.leadSponsor).toBe('Tocagen Inc.');
    expect(trial.enrollment).toEqual({ count: 21 });
    expect(trial.conditions).toHaveLength(12);
    expect(trial.conditions[0]).toBe('Colorectal Cancer');
    expect(trial.conditions[11]).toBe('IDH1 Mutated or MGMT Methylated Recurrent HGG (Not Recruiting)');
    expect(trial.interventions).toEqual([
      { name: 'Toca 511', otherNames: ['vocimagene amiretrorepvec', 'RRV', 'retroviral replicating viral'] },
      { name: 'Toca FC', otherNames: ['Flucytosine', '5-FC', '5-Fluorocytosine'] },
    ]);
    expect(trial.locationCount).toBe(3);
    expect(
      trial.briefSummary?.startsWith('The purpose of this trial is to evaluate changes in immune activity'),
    ).toBe(true);
    // Modules the fields= filter left out stay absent rather than guessed.
    expect(trial.officialTitle).toBeUndefined();
    expect(trial.acronym).toBeUndefined();
    expect(trial.whyStopped).toBeUndefined();
    expect(trial.lastUpdate).toBeUndefined();
    expect(trial.keywords).toBeUndefined();
    expect(trial.collaborators).toBeUndefined();
    expect(trial.arms).toEqual([]);
    expect(trial.primaryOutcomes).toEqual([]);
    expect(trial.references).toEqual([]);
    expect(trial.hasResults).toBe(false);
  });

  test('NCT06382129 (NSCLC phase 3, no locations module)', () => {
    const trial = parseStudy(load('v2_study_NCT06382129_nsclc_fields.json'));
    expect(trial.nct).toBe('NCT06382129');
    expect(trial.briefTitle).toBe(
      'A Study Comparing BL-B01D1 With Docetaxel in Patients With Unresectable Locally Advanced or Metastatic EGFR Wild-type Non-small Cell Lung Cancer(PANKU-Lung02)',
    );
    expect(trial.status).toBe('ACTIVE_NOT_RECRUITING');
    expect(trial.phases).toEqual(['PHASE3']);
    expect(trial.startDate).toEqual({ date: '2024-05-17' });
    expect(trial.completionDate).toEqual({ date: '2026-12' });
    expect(trial.leadSponsor).toBe('Sichuan Baili Pharmaceutical Co., Ltd.');
    expect(trial.enrollment).toEqual({ count: 698 });
    expect(trial.conditions).toEqual(['Non-small Cell Lung Cancer']);
    expect(trial.interventions).toEqual([
      { name: 'BL-B01D1', otherNames: ['iza-bren', 'izalontamab brengitecan', 'BMS-986507'] },
      { name: 'Docetaxel' },
    ]);
    expect(trial.locationCount).toBe(0);
  });
});

describe('design and eligibility, as the registry states them', () => {
  test('NCT04267848 (ALCHEMIST, recruiting, 1,148 sites): randomized open-label design, adult eligibility', () => {
    const trial = parseStudy(load('v2_study_NCT04267848_1148_sites.json'));
    expect(trial.design).toEqual({
      allocation: 'RANDOMIZED',
      interventionModel: 'PARALLEL',
      primaryPurpose: 'TREATMENT',
      masking: 'NONE',
    });
    const eligibility = trial.eligibility;
    expect(eligibility).toMatchObject({
      minimumAge: '18 Years',
      sex: 'ALL',
      healthyVolunteers: false,
      stdAges: ['ADULT', 'OLDER_ADULT'],
    });
    // No upper age in the record: none is invented.
    expect(eligibility?.maximumAge).toBeUndefined();
    // The criteria stay verbatim, from their heading to the last exclusion.
    expect(eligibility?.criteria?.startsWith('Inclusion Criteria:')).toBe(true);
    expect(eligibility?.criteria?.endsWith('=\\< 2.5 x upper limit of normal (ULN)')).toBe(true);
    expect(trial.enrollment).toEqual({ count: 1210, type: 'ESTIMATED' });
    expect(enrollmentKind(trial)).toBe('planned');
  });

  test('NCT02576665 (terminated): an age range, no design block recorded, no healthy-volunteer answer', () => {
    const trial = parseStudy(load('v2_study_NCT02576665_fields.json'));
    expect(trial.design).toBeUndefined();
    expect(trial.eligibility).toMatchObject({ minimumAge: '18 Years', maximumAge: '75 Years', sex: 'ALL' });
    expect(trial.eligibility?.healthyVolunteers).toBeUndefined();
    // Closed without the registry's ACTUAL/ESTIMATED: the number is shown, never called actual or planned.
    expect(enrollmentKind(trial)).toBe('unqualified');
  });

  test('a study still open without an enrollment type has a planned number; ACTUAL always wins', () => {
    expect(enrollmentKind({ status: 'NOT_YET_RECRUITING', enrollment: { count: 650 } })).toBe('planned');
    expect(enrollmentKind({ status: 'RECRUITING', enrollment: { count: 800 } })).toBe('planned');
    expect(
      enrollmentKind({ status: 'ACTIVE_NOT_RECRUITING', enrollment: { count: 1062, type: 'ACTUAL' } }),
    ).toBe('actual');
    expect(enrollmentKind({ status: 'COMPLETED', enrollment: { count: 1062, type: 'ACTUAL' } })).toBe(
      'actual',
    );
    expect(enrollmentKind({ enrollment: { count: 40 } })).toBe('unqualified');
  });
});

describe('parseStudyPage on recorded search pages', () => {
  test('every fixture parses, study by study', () => {
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
      const json = load(file);
      if (file.startsWith('v2_search_')) expect(parseStudyPage(json).studies.length).toBeGreaterThan(0);
      else expect(parseStudy(json).nct).toMatch(/^NCT\d{8}$/);
    }
  });

  test('page 1 with countTotal: totalCount and nextPageToken', () => {
    const page = parseStudyPage(load('v2_search_phelan_page1.json'));
    expect(page.totalCount).toBe(21);
    expect(page.nextPageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw');
    expect(page.studies.map((t) => t.nct)).toEqual([
      'NCT02710084',
      'NCT05105685',
      'NCT01525901',
      'NCT03493607',
      'NCT07119606',
    ]);
    const last = page.studies[4];
    expect(last?.status).toBe('NOT_YET_RECRUITING');
    expect(last?.leadSponsor).toBe('Assistance Publique - Hôpitaux de Paris');
    expect(last?.phases).toEqual(['NA']);
    expect(page.studies[1]?.phases).toEqual(['PHASE1', 'PHASE2']);
    expect(page.studies[2]?.startDate).toEqual({ date: '2012-02' });
  });

  test('the last page has no nextPageToken', () => {
    const page = parseStudyPage(load('v2_search_phelan_terminal.json'));
    expect(page.nextPageToken).toBeUndefined();
    expect(page.totalCount).toBe(3);
    expect(page.studies.map((t) => t.nct)).toEqual(['NCT02710084', 'NCT05105685', 'NCT01525901']);
  });

  test('other recorded pages', () => {
    const all = parseStudyPage(load('v2_search_all_count_pagesize1.json'));
    expect(all.totalCount).toBe(598101);
    expect(all.nextPageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd6-r3_cfnzeRvfE');
    expect(all.studies.map((t) => [t.nct, t.leadSponsor])).toEqual([
      ['NCT01595035', 'Oslo Metropolitan University'],
    ]);

    const keytruda = parseStudyPage(load('v2_search_keytruda_page1.json'));
    expect(keytruda.totalCount).toBe(2924);
    expect(keytruda.nextPageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4YnzmVtA');
    expect(keytruda.studies.map((t) => t.nct)).toEqual(['NCT05431270', 'NCT03590054', 'NCT04795661']);
    expect(keytruda.studies[0]?.completionDate).toEqual({ date: '2028-08' });

    const melanoma = parseStudyPage(load('v2_search_melanoma_recruiting_page1.json'));
    expect(melanoma.totalCount).toBe(480);
    expect(melanoma.studies.map((t) => t.status)).toEqual(['RECRUITING', 'RECRUITING', 'RECRUITING']);
    expect(melanoma.studies[0]?.phases).toEqual(['NA']);
  });

  test('an empty page with a token is a page, not an error', () => {
    expect(parseStudyPage({ studies: [], nextPageToken: 'abc' })).toEqual({
      studies: [],
      nextPageToken: 'abc',
    });
  });
});

describe('fields the recordings were filtered without', () => {
  // The API's documented module shapes (PLATFORM-FACTS §2), added to a recorded study.
  test('acronym, arms, outcomes, references, dates with types, results', () => {
    const study = copyOf('v2_study_NCT06382129_nsclc_fields.json');
    const p = study.protocolSection ?? {};
    Object.assign(p.identificationModule ?? {}, {
      acronym: 'PANKU-Lung02',
      officialTitle: 'An Official Title',
    });
    Object.assign(p.statusModule ?? {}, {
      overallStatus: 'TERMINATED',
      whyStopped: 'Sponsor decision',
      startDateStruct: { date: '2024-05-17', type: 'ACTUAL' },
      primaryCompletionDateStruct: { date: '2026-06', type: 'ESTIMATED' },
      lastUpdatePostDateStruct: { date: '2025-01-09', type: 'ACTUAL' },
    });
    Object.assign(p.sponsorCollaboratorsModule ?? {}, {
      collaborators: [{ name: 'Bristol-Myers Squibb', class: 'INDUSTRY' }],
    });
    Object.assign(p.conditionsModule ?? {}, { keywords: ['ADC', 'EGFR wild-type'] });
    Object.assign(p.designModule ?? {}, { enrollmentInfo: { count: 698, type: 'ESTIMATED' } });
    Object.assign(p.armsInterventionsModule ?? {}, {
      armGroups: [
        { label: 'BL-B01D1', type: 'EXPERIMENTAL', description: 'iv', interventionNames: ['Drug: BL-B01D1'] },
        { type: 'ACTIVE_COMPARATOR' },
      ],
    });
    p.outcomesModule = {
      primaryOutcomes: [
        { measure: 'Overall survival', timeFrame: 'Up to approximately 24 months' },
        { timeFrame: 'x' },
      ],
    };
    p.referencesModule = {
      references: [
        {
          pmid: '12345678',
          type: 'RESULT',
          citation: 'A result.',
          retractions: [{ pmid: '23456789', source: 'PubMed' }],
        },
        { citation: 'Background without PMID', type: 'BACKGROUND' },
      ],
    };
    (study as Record<string, unknown>).hasResults = true;

    const trial = parseStudy(study);
    expect(trial.acronym).toBe('PANKU-Lung02');
    expect(trial.officialTitle).toBe('An Official Title');
    expect(trial.status).toBe('TERMINATED');
    expect(trial.whyStopped).toBe('Sponsor decision');
    expect(trial.startDate).toEqual({ date: '2024-05-17', type: 'ACTUAL' });
    expect(trial.primaryCompletionDate).toEqual({ date: '2026-06', type: 'ESTIMATED' });
    expect(trial.lastUpdate).toBe('2025-01-09');
    expect(trial.collaborators).toEqual(['Bristol-Myers Squibb']);
    expect(trial.keywords).toEqual(['ADC', 'EGFR wild-type']);
    expect(trial.enrollment).toEqual({ count: 698, type: 'ESTIMATED' });
    expect(trial.arms).toEqual([
      { label: 'BL-B01D1', type: 'EXPERIMENTAL', description: 'iv', interventions: ['Drug: BL-B01D1'] },
    ]);
    expect(trial.primaryOutcomes).toEqual([
      { measure: 'Overall survival', timeFrame: 'Up to approximately 24 months' },
    ]);
    expect(trial.references).toEqual([
      { pmid: '12345678', type: 'RESULT', citation: 'A result.', retractions: ['23456789'] },
      { type: 'BACKGROUND', citation: 'Background without PMID' },
    ]);
    expect(trial.hasResults).toBe(true);
  });

  test('values the registry may add later are left absent, not forced into the model', () => {
    const study = copyOf('v2_study_NCT02576665_fields.json');
    Object.assign(study.protocolSection?.statusModule ?? {}, {
      overallStatus: 'SOME_FUTURE_STATUS',
      startDateStruct: { date: '2016-07', type: 'ANTICIPATED' },
    });
    const trial = parseStudy(study);
    expect(trial.status).toBeUndefined();
    expect(trial.startDate).toEqual({ date: '2016-07' });
  });
});

describe('what is not a study', () => {
  test.each([
    ['null', null],
    ['an array', []],
    ['an empty object', {}],
    ['no identification', { protocolSection: {} }],
    ['a malformed NCT id', { protocolSection: { identificationModule: { nctId: 'NCT123' } } }],
    [
      'phases as a string',
      {
        protocolSection: {
          identificationModule: { nctId: 'NCT06382129' },
          designModule: { phases: 'PHASE3' },
        },
      },
    ],
  ])('%s → bad_response, not retryable', (_name, json) => {
    const error = caught(() => parseStudy(json));
    expect(error.code).toBe('bad_response');
    expect(error.retryable).toBe(false);
    expect(error.source).toBe('clinicaltrials');
  });

  test('a page without studies, or with one broken study, is refused whole', () => {
    expect(caught(() => parseStudyPage({ totalCount: 3 })).code).toBe('bad_response');
    const page = load('v2_search_phelan_terminal.json') as { studies: unknown[] };
    page.studies.push({ protocolSection: { identificationModule: {} } });
    const error = caught(() => parseStudyPage(page));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('studies[3]');
  });
});
