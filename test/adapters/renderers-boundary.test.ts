// Renderers lay out the core's card model; they do not decide again what it decides. A link built, a badge
// or notice worded, or a style named inside adapters/ would be a second copy that the next fix misses.

import fs from 'node:fs';
import path from 'node:path';

const ADAPTERS = path.join(__dirname, '..', '..', 'adapters');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** What only src/core/present may say; each pattern names a decision that once had copies here. */
const CORE_DECISIONS: [string, RegExp][] = [
  ['a PubMed record link', /pubmed\.ncbi\.nlm\.nih\.gov\/\$\{/],
  ['a ClinicalTrials.gov study link', /clinicaltrials\.gov\/study\//],
  ['a DOI or PMC link', /(doi\.org|pmc\.ncbi\.nlm\.nih\.gov\/articles)\/\$\{/],
  ['an evidence badge', /Randomized controlled trial|Systematic review'/],
  ['notice wording', /has been retracted|Expression of concern about|Erratum for/],
  ['a citation style label', /'(AMA|Vancouver|APA|BibTeX|RIS)'/],
  ['a trial status label', /Active, not recruiting|Not yet recruiting/],
  ['signal wording', /Cited by \$\{|Open access \(|No open version|europepmc\.org\//],
];

it('leaves links, badges, notices, style names and statuses to the core card model', () => {
  const found: string[] = [];
  for (const file of sources(ADAPTERS)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [what, pattern] of CORE_DECISIONS)
      if (pattern.test(text)) found.push(`${path.relative(ADAPTERS, file)}: ${what}`);
  }
  expect(found).toEqual([]);
});
