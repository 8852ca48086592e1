// findNctIds: ClinicalTrials.gov ids in free text.
// Boundaries matter: a longer digit run or a glued prefix is not an id.

import { findNctIds } from '../../src/pubmed/nct';

describe('findNctIds', () => {
  it('finds ids in order, upper-cased, once each', () => {
    expect(
      findNctIds('Registered as NCT01245062 (see also nct02149199); NCT01245062 again, and NCT00881296.'),
    ).toEqual(['NCT01245062', 'NCT02149199', 'NCT00881296']);
  });

  it('needs exactly eight digits on word boundaries', () => {
    expect(findNctIds('NCT0124506 NCT012450623 XNCT01245062 NCT01245062x')).toEqual([]);
    expect(findNctIds('(NCT01245062)')).toEqual(['NCT01245062']);
    expect(findNctIds('https://clinicaltrials.gov/ct2/show/NCT03630081.')).toEqual(['NCT03630081']);
  });

  it('returns an empty list for text without ids', () => {
    expect(findNctIds('')).toEqual([]);
    expect(findNctIds('No trial registration.')).toEqual([]);
  });
});
