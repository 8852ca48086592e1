// Reads ClinicalTrials.gov API v2 JSON files: one study, a /studies page ({studies: […]}), an array of
// studies, or JSON Lines of either. Mapping a study to a Trial is clinicaltrials/study.ts's (parseStudy).

import { parseStudy } from '../../clinicaltrials/study';
import { UnreadableFileError, type ImportItem } from './items';
import { JsonShapeError, StudySplitter } from './json-studies';
import type { Line } from './lines';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The studies a parsed JSON value holds, or undefined when it is no ClinicalTrials.gov shape at all. */
function studiesIn(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value.studies)) return value.studies;
  if ('protocolSection' in value) return [value];
  return undefined;
}

function nctOf(study: unknown): string | undefined {
  if (!isRecord(study) || !isRecord(study.protocolSection)) return undefined;
  const identification = study.protocolSection.identificationModule;
  return isRecord(identification) && typeof identification.nctId === 'string'
    ? identification.nctId
    : undefined;
}

function* fromValue(value: unknown, next: { index: number }, line: number): Generator<ImportItem> {
  const studies = studiesIn(value);
  if (studies === undefined) {
    yield {
      kind: 'problem',
      problem: { index: next.index++, line, message: 'not a ClinicalTrials.gov study or /studies page' },
    };
    return;
  }
  for (const study of studies) {
    const index = next.index++;
    try {
      yield { kind: 'trial', trial: parseStudy(study), raw: study };
    } catch (error) {
      const nct = nctOf(study);
      const message = error instanceof Error ? error.message : String(error);
      yield { kind: 'problem', problem: { index, line, ...(nct ? { id: nct } : {}), message } };
    }
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** One study of a streamed document, parsed alone; a broken one means the document is not JSON. */
function parseElement(text: string, line: number): unknown {
  const parsed = parseJson(text);
  if (!parsed.ok)
    throw new UnreadableFileError(`not JSON: ${parsed.message} (the study starting on line ${line})`);
  return parsed.value;
}

/**
 * JSON Lines when the first non-blank line is a complete JSON value on its own; otherwise one document,
 * whose studies (a top-level array, or a page's "studies") are parsed one at a time as they stream in,
 * so memory stays flat however many there are. Throws UnreadableFileError when the file is neither (the
 * importer reports it and moves on; studies before a break in the document are kept, as with XML); a
 * first line that is JSON but no ClinicalTrials.gov shape counts as neither.
 */
export async function* streamCtgov(lines: AsyncIterable<Line>): AsyncGenerator<ImportItem> {
  const next = { index: 0 };
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  const splitter = new StudySplitter();
  let firstLine = 1;
  try {
    for await (const line of lines) {
      if (mode === 'unknown') {
        if (line.text.trim() === '') continue;
        const first = parseJson(line.text);
        mode = first.ok && typeof first.value === 'object' && first.value !== null ? 'lines' : 'document';
        if (first.ok && mode === 'lines' && studiesIn(first.value) === undefined) {
          throw new UnreadableFileError('JSON, but not a ClinicalTrials.gov study or /studies page');
        }
        firstLine = line.number;
      }
      if (mode === 'lines') {
        if (line.text.trim() === '') continue;
        const parsed = parseJson(line.text);
        if (parsed.ok) yield* fromValue(parsed.value, next, line.number);
        else
          yield {
            kind: 'problem',
            problem: { index: next.index++, line: line.number, message: `not JSON: ${parsed.message}` },
          };
        continue;
      }
      for (const study of splitter.write(`${line.text}\n`, line.number)) {
        yield* fromValue([parseElement(study.text, study.line)], next, study.line);
      }
    }
    if (mode !== 'document') return;
    const { rest, streamed } = splitter.finish();
    const whole = parseJson(rest);
    if (!whole.ok) throw new UnreadableFileError(`not JSON: ${whole.message}`);
    // A page or an array had its studies streamed; otherwise the whole document is one study (or nothing).
    if (streamed) return;
    if (studiesIn(whole.value) === undefined)
      throw new UnreadableFileError('JSON, but not a ClinicalTrials.gov study or /studies page');
    yield* fromValue(whole.value, next, firstLine);
  } catch (error) {
    if (error instanceof JsonShapeError) throw new UnreadableFileError(`not JSON: ${error.message}`);
    throw error;
  }
}
