// evidenceOf: NLM publication type names → one badge, strongest wins.
// The ranking and the type lists are the product's rules, spelled out case by case.

import { evidenceOf } from '../../src/pubmed/evidence';

describe('evidenceOf', () => {
  it.each([
    [['Practice Guideline', 'Journal Article'], 'guideline'],
    [['Guideline'], 'guideline'],
    [['Consensus Development Conference, NIH'], 'guideline'],
    [['Consensus Development Conference'], 'guideline'],
    [['Meta-Analysis', 'Systematic Review', 'Randomized Controlled Trial'], 'meta-analysis'],
    [['Network Meta-Analysis'], 'meta-analysis'],
    [['Review', 'Systematic Review'], 'systematic-review'],
    [['Clinical Trial, Phase III', 'Randomized Controlled Trial', 'Multicenter Study'], 'rct'],
    [['Equivalence Trial'], 'rct'],
    [['Pragmatic Clinical Trial'], 'clinical-trial'],
    [['Clinical Trial, Phase I'], 'clinical-trial'],
    [['Clinical Trial, Phase II'], 'clinical-trial'],
    [['Clinical Trial, Phase IV'], 'clinical-trial'],
    [['Controlled Clinical Trial'], 'clinical-trial'],
    [['Clinical Trial', 'Review'], 'clinical-trial'],
    [['Scoping Review'], 'review'],
    [['Case Reports', 'Review'], 'review'],
    [['Case Reports'], 'case-report'],
    [['Multicenter Study'], 'other'],
    [['Observational Study', 'Journal Article'], 'other'],
    [['Clinical Trial Protocol'], 'other'],
    [['Published Erratum'], 'other'],
    [['Retracted Publication', 'Randomized Controlled Trial'], 'rct'],
    [[], 'other'],
  ])('%j → %s', (types, evidence) => {
    expect(evidenceOf(types)).toBe(evidence);
  });

  it('ignores case and stray spaces', () => {
    expect(evidenceOf([' randomized controlled TRIAL '])).toBe('rct');
  });
});
