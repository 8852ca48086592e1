// Streams a MEDLINE-format file (PubMed "Save → PubMed format", .nbib/.txt) record by record: tagged lines,
// 6-space continuations, blank lines between records. Mapping a record to an Article is medline-record.ts's.

import type { ImportItem } from './items';
import type { Line } from './lines';
import { medlineToArticle, type MedlineField } from './medline-record';

/** "PMID- 12230038", "TI  - …", "FAU - …": a tag of up to four characters padded to column 5, then "- ". */
const FIELD = /^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: (.*))?$/;
const CONTINUATION = /^\s+\S/;
/** Records are kept as tag lists until mapped; a runaway record (no blank lines) must not eat memory. */
const MAX_FIELDS = 20_000;
const MAX_VALUE_CHARS = 1_000_000;

/** True when a file's first non-blank line looks like the start of a MEDLINE record. */
export function looksLikeMedline(head: string): boolean {
  const line =
    head
      .replace(/^\uFEFF/, '')
      .trimStart()
      .split('\n', 1)[0] ?? '';
  return /^PMID ?- ?\d/.test(line);
}

interface Draft {
  index: number;
  line: number;
  fields: MedlineField[];
  broken?: string;
}

function finish(draft: Draft): ImportItem {
  const pmid = draft.fields.find((f) => f.tag === 'PMID')?.value.trim();
  const problem = (message: string): ImportItem => ({
    kind: 'problem',
    problem: { index: draft.index, line: draft.line, ...(pmid ? { id: pmid } : {}), message },
  });
  if (draft.broken !== undefined) return problem(draft.broken);
  if (draft.fields[0]?.tag !== 'PMID') return problem('record does not start with PMID');
  try {
    return { kind: 'article', article: medlineToArticle(draft.fields) };
  } catch (error) {
    return problem(error instanceof Error ? error.message : String(error));
  }
}

export async function* streamMedline(lines: AsyncIterable<Line>): AsyncGenerator<ImportItem> {
  let draft: Draft | undefined;
  let index = 0;
  const open = (line: number): Draft => ({ index: index++, line, fields: [] });
  for await (const { text, number } of lines) {
    if (text.trim() === '') {
      if (draft !== undefined) yield finish(draft);
      draft = undefined;
      continue;
    }
    const field = FIELD.exec(text);
    if (field !== null) {
      const tag = field[1] as string;
      // A PMID line always starts a record, even when the blank line before it is missing.
      if (tag === 'PMID' && draft !== undefined && draft.fields.length > 0) {
        yield finish(draft);
        draft = undefined;
      }
      draft ??= open(number);
      if (draft.fields.length < MAX_FIELDS)
        draft.fields.push({ tag, value: (field[2] ?? '').trim(), line: number });
      else draft.broken ??= `line ${number}: more than ${MAX_FIELDS} fields in one record`;
      continue;
    }
    draft ??= open(number);
    const last = draft.fields[draft.fields.length - 1];
    if (CONTINUATION.test(text) && last !== undefined) {
      const more = text.trim();
      if (last.value.length + more.length < MAX_VALUE_CHARS)
        last.value = last.value === '' ? more : `${last.value} ${more}`;
      else
        draft.broken ??= `line ${number}: the ${last.tag} field is longer than ${MAX_VALUE_CHARS} characters`;
    } else {
      draft.broken ??= `line ${number}: not a MEDLINE field: ${JSON.stringify(text.slice(0, 60))}`;
    }
  }
  if (draft !== undefined) yield finish(draft);
}
