// When two spellings name the same trial acronym ("KEYNOTE-189", "keynote 189"), and whether a title names one.
// The core compares acronyms to pick the registered trial; trial sources use the same rule to filter matches.

/** Dash-like characters the registry and users type interchangeably (hyphen, non-breaking hyphen, en/em dash, minus…). */
const DASHES_AND_SPACES = /[\s\-\u2010-\u2015\u2212_]+/g;

/** "Keynote 189", "KEYNOTE-189" and "keynote‐189" all become "KEYNOTE189". */
export function acronymKey(acronym: string): string {
  return acronym.normalize('NFKC').replace(DASHES_AND_SPACES, '').toUpperCase();
}

/**
 * Whether a title names the acronym as a whole word, with any spacing or dashes inside it:
 * "…Lung Cancer(PANKU-Lung02)" names "panku lung02"; "KEYNOTE-1890" does not name "KEYNOTE-189".
 */
export function titleNamesAcronym(title: string, acronym: string): boolean {
  const chars = [...acronymKey(acronym)];
  if (chars.length === 0) return false;
  const escaped = chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])${escaped.join('[\\s\\-\\u2010-\\u2015\\u2212_]*')}(?![\\p{L}\\p{N}])`,
    'iu',
  );
  return pattern.test(title.normalize('NFKC'));
}
