// ClinicalTrials.gov identifiers (NCT + 8 digits) found in free text: abstracts, titles, accession lists.
// Leaves deciding which text to scan (and trial lookups) to the callers.

const NCT_ID = /\bNCT\d{8}\b/gi;

/** NCT ids in `text`, upper-cased, first occurrence kept, in order of appearance. */
export function findNctIds(text: string): string[] {
  const found: string[] = [];
  // Most texts carry no trial id; skip the regex entirely for them.
  if (text.length < 11 || !/nct/i.test(text)) return found;
  for (const match of text.matchAll(NCT_ID)) {
    const id = match[0].toUpperCase();
    if (!found.includes(id)) found.push(id);
  }
  return found;
}
