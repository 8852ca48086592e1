// evidenceOf: NLM publication type names → one badge, the highest row of the precedence table wins.
// The ranking and the type lists are the product's rules, spelled out case by case.

import { EVIDENCE_PRECEDENCE, evidenceOf } from '../../src/pubmed/evidence';

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
    // One patient with a literature review is still a case report.
    [['Case Reports', 'Review'], 'case-report'],
    [['Case Reports', 'Letter'], 'case-report'],
    [['Editorial', 'Comment'], 'editorial'],
    [['Letter', 'Comment'], 'letter'],
    [['Comment', 'Journal Article'], 'comment'],
    [['Randomized Controlled Trial', 'Letter'], 'rct'],
    [['Review', 'Editorial'], 'review'],
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

  it('EVIDENCE_PRECEDENCE ranks every level exactly once, other last', () => {
    expect(new Set(EVIDENCE_PRECEDENCE).size).toBe(EVIDENCE_PRECEDENCE.length);
    expect(EVIDENCE_PRECEDENCE.at(-1)).toBe('other');
  });

  it('ignores case and stray spaces', () => {
    expect(evidenceOf([' randomized controlled TRIAL '])).toBe('rct');
  });
});
