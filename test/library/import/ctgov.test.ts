// streamCtgov on whole JSON documents: /studies pages, arrays and single studies parsed study by study as
// they stream (the same trials as parsing the document at once), and documents broken part-way.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseStudy } from '../../../src/clinicaltrials/study';
import { streamCtgov } from '../../../src/library/import/ctgov';
import type { ImportItem } from '../../../src/library/import/items';
import { readLines } from '../../../src/library/import/lines';
import { StudySplitter } from '../../../src/library/import/json-studies';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'clinicaltrials');
const page = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'v2_search_phelan_page1.json'), 'utf8')) as {
  studies: unknown[];
  nextPageToken?: string;
};

async function items(text: string, chunk = 97): Promise<ImportItem[]> {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += chunk) pieces.push(text.slice(at, at + chunk));
  const out: ImportItem[] = [];
  for await (const item of streamCtgov(readLines(Readable.from(pieces)))) out.push(item);
  return out;
}

const ncts = (list: ImportItem[]): string[] =>
  list.flatMap((item) => (item.kind === 'trial' ? [item.trial.nct] : []));

describe('streamCtgov on one JSON document', () => {
  const expected = page.studies.map((study) => parseStudy(study).nct);

  it('reads a pretty-printed /studies page study by study, the same trials as a whole parse', async () => {
    const got = await items(JSON.stringify(page, null, 2));
    expect(ncts(got)).toEqual(expected);
    expect(got.map((item) => (item.kind === 'trial' ? item.raw : undefined))).toEqual(page.studies);
  });

  it('reads a top-level array of studies, and a single study', async () => {
    expect(ncts(await items(JSON.stringify(page.studies, null, 1)))).toEqual(expected);
    expect(ncts(await items(JSON.stringify(page.studies[0], null, 2)))).toEqual(expected.slice(0, 1));
  });

  it('reports a study that is no study with its own line, and goes on', async () => {
    const odd = { ...page, studies: [page.studies[0], { protocolSection: {} }, page.studies[1]] };
    const text = JSON.stringify(odd, null, 2);
    const got = await items(text);
    expect(ncts(got)).toEqual(expected.slice(0, 2));
    const problem = got.find((item) => item.kind === 'problem');
    // The study starts at its opening brace, the line before its only field.
    const line = text.split('\n').findIndex((l) => l.includes('"protocolSection": {}'));
    expect(problem).toMatchObject({ kind: 'problem', problem: { index: 1, line } });
  });

  it('keeps the studies before a break, then reports the document', async () => {
    const text = JSON.stringify(page, null, 2);
    const third = text.indexOf(
      '"protocolSection"',
      text.indexOf('"protocolSection"', text.indexOf('"protocolSection"') + 1) + 1,
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of streamCtgov(readLines(Readable.from([text.slice(0, third + 50)])))) {
          if (item.kind === 'trial') seen.push(item.trial.nct);
        }
      })(),
    ).rejects.toThrow(/^not JSON: the document ends early/);
    expect(seen).toEqual(expected.slice(0, 2));
  });

  it('a malformed study fails the document with JSON’s message and where the study starts', async () => {
    const text = JSON.stringify({ studies: [page.studies[0], page.studies[1]] }, null, 2).replace(
      /"nctId": "(NCT\d+)"/,
      '"nctId": $1',
    );
    await expect(items(text)).rejects.toThrow(/^not JSON: .*\(the study starting on line 3\)/);
  });

  it('a document that is JSON but no studies is reported as such', async () => {
    await expect(items('{\n  "hello": [1, 2]\n}\n')).rejects.toThrow(/not a ClinicalTrials.gov study/);
  });
});

describe('StudySplitter', () => {
  it('is not fooled by brackets, quotes and "studies" inside strings or deeper objects', () => {
    const doc = {
      meta: { studies: [1, 2], note: 'a ] b } c [ "studies": [' },
      studies: [{ a: 'x\\"]},{' }, 7, 'str,]', null, [1, [2]], { b: { studies: [3] } }],
      nextPageToken: 'tok"en',
    };
    const text = JSON.stringify(doc, null, 2);
    for (const size of [1, 5, text.length]) {
      const splitter = new StudySplitter();
      const parts: unknown[] = [];
      let line = 1;
      for (let at = 0; at < text.length; at += size) {
        const piece = text.slice(at, at + size);
        for (const element of splitter.write(piece, line)) parts.push(JSON.parse(element.text));
        line += piece.split('\n').length - 1;
      }
      expect(parts).toEqual(doc.studies);
      const { rest, streamed } = splitter.finish();
      expect(streamed).toBe(true);
      expect(JSON.parse(rest)).toEqual({ ...doc, studies: [] });
    }
  });
});
