// Recognises the identifiers a clinician pastes: PMIDs, DOIs, PMCIDs and the URLs that carry them.
// Pure; the assistant resolves DOIs and PMCIDs to PMIDs through the sources.

export type LookupId =
  { type: 'pmid'; value: string } | { type: 'doi'; value: string } | { type: 'pmcid'; value: string };

const PUBMED_URL =
  /^(?:https?:\/\/)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov\/|ncbi\.nlm\.nih\.gov\/pubmed\/)(\d{1,9})\/?(?:[?#].*)?$/i;
const PMC_URL =
  /^(?:https?:\/\/)?(?:www\.)?(?:pmc\.ncbi\.nlm\.nih\.gov\/articles\/|ncbi\.nlm\.nih\.gov\/pmc\/articles\/)(PMC\d{1,9})\/?(?:[?#].*)?$/i;
const DOI_URL = /^(?:https?:\/\/)?(?:dx\.)?doi\.org\/(10\.\d{4,9}(?:\/|%2F)\S+)$/i;
const DOI = /^(?:doi:\s*)?(10\.\d{4,9}\/\S+)$/i;

const TRAILING_PUNCTUATION = '.,;';

/** Slack wraps pasted links as <url> or <url|label>; take the url. */
function unwrapLink(text: string): string {
  const m = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text);
  return m?.[1] ?? text;
}

function cleanDoi(raw: string): string {
  let doi = raw;
  try {
    doi = decodeURIComponent(raw);
  } catch {
    // A DOI with a stray "%" is still worth looking up as typed.
  }
  // A loop, not /[.,;]+$/: that expression retries from every punctuation mark in a run, quadratic in its length.
  let end = doi.length;
  while (end > 0 && TRAILING_PUNCTUATION.includes(doi[end - 1] ?? '')) end -= 1;
  return doi.slice(0, end);
}

export function parseLookupId(input: string): LookupId | undefined {
  const text = unwrapLink(input.trim());
  if (/^[1-9]\d{0,8}$/.test(text)) return { type: 'pmid', value: text };
  const pmidTag = /^pmid:\s*([1-9]\d{0,8})$/i.exec(text);
  if (pmidTag?.[1]) return { type: 'pmid', value: pmidTag[1] };
  const pubmed = PUBMED_URL.exec(text);
  if (pubmed?.[1]) return { type: 'pmid', value: pubmed[1] };
  const pmcid = /^(?:pmcid:\s*)?(PMC\d{1,9})$/i.exec(text) ?? PMC_URL.exec(text);
  if (pmcid?.[1]) return { type: 'pmcid', value: pmcid[1].toUpperCase() };
  const doi = DOI_URL.exec(text) ?? DOI.exec(text);
  if (doi?.[1]) return { type: 'doi', value: cleanDoi(doi[1]) };
  return undefined;
}

export function formatLookupId(id: LookupId): string {
  return id.type === 'pmid' ? `PMID ${id.value}` : id.type === 'doi' ? `DOI ${id.value}` : id.value;
}
