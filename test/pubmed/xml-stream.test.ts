// streamArticleSet: the same records as parseArticleSet whatever the chunking, in order, as they close.
// Chunks are cut at fixed byte sizes, so UTF-8 characters and tags are split mid-way on purpose.

import { parseArticleSet, streamArticleSet, type ArticleSetItem } from '../../src/pubmed/xml';
import { editOnce, fixture, fixtureBytes } from './xml-fixtures';

async function* chunks<T extends string | Buffer>(whole: T, size: number): AsyncGenerator<T> {
  for (let start = 0; start < whole.length; start += size) yield whole.slice(start, start + size) as T;
}

async function collect(source: AsyncIterable<string | Buffer>): Promise<ArticleSetItem[]> {
  const items: ArticleSetItem[] = [];
  for await (const item of streamArticleSet(source)) items.push(item);
  return items;
}

/** 1-based line of each `<PubmedArticle>` start tag in the raw file. */
function recordLines(xml: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (let at = xml.indexOf('<PubmedArticle>'); at !== -1; at = xml.indexOf('<PubmedArticle>', at + 1)) {
    for (let i = from; i < at; i++) if (xml.charCodeAt(i) === 10) line++;
    from = at;
    lines.push(line);
  }
  return lines;
}

const ONCOLOGY = 'efetch_pubmed_multi_93records_oncology_2019.xml';

describe('streamArticleSet', () => {
  it('the 93-record file in 1 KB Buffer chunks gives the same articles as parseArticleSet, with their lines', async () => {
    const items = await collect(chunks(fixtureBytes(ONCOLOGY), 1024));
    const whole = parseArticleSet(fixture(ONCOLOGY));
    expect(items.every((item) => item.kind === 'article')).toBe(true);
    expect(items.map((item) => (item.kind === 'article' ? item.article : undefined))).toEqual(whole.articles);
    expect(items).toHaveLength(93);
    expect(items.map((item) => (item.kind === 'article' ? item.line : 0))).toEqual(
      recordLines(fixture(ONCOLOGY)),
    );
  });

  it('string chunks work too', async () => {
    const items = await collect(chunks(fixture(ONCOLOGY), 1000));
    expect(items.map((item) => (item.kind === 'article' ? item.article : undefined))).toEqual(
      parseArticleSet(fixture(ONCOLOGY)).articles,
    );
  });

  it('multi-byte UTF-8 split across 7-byte chunks is decoded intact', async () => {
    const name = 'efetch_pubmed_2records_nct_2018.xml';
    const bytes = fixtureBytes(name);
    expect(bytes.length).toBeGreaterThan(fixture(name).length); // the file really has non-ASCII characters
    const items = await collect(chunks(bytes, 7));
    expect(items.map((item) => (item.kind === 'article' ? item.article : undefined))).toEqual(
      parseArticleSet(fixture(name)).articles,
    );
  });

  it('yields problems and deletions in document order', async () => {
    const two = fixture('efetch_pubmed_2records_nct_2018.xml');
    const edited = editOnce(
      editOnce(two, '<PMID Version="1">29735362</PMID>', ''),
      '</PubmedArticleSet>',
      '<DeleteCitation><PMID Version="1">424242</PMID></DeleteCitation></PubmedArticleSet>',
    );
    const items = await collect(chunks(edited, 512));
    expect(items.map((item) => item.kind)).toEqual(['problem', 'article', 'deleted']);
    expect(items[0]).toMatchObject({ kind: 'problem', problem: { index: 0, message: 'record has no PMID' } });
    expect(items[1]).toMatchObject({ kind: 'article', article: { pmid: '29730991' } });
    expect(items[2]).toEqual({ kind: 'deleted', pmids: ['424242'] });
  });

  it('a truncated stream yields the records that closed, then throws bad_response', async () => {
    const xml = fixture(ONCOLOGY);
    const cut = xml.slice(0, xml.indexOf('<PubmedArticle>', xml.length / 2) + 40);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of streamArticleSet(chunks(cut, 4096))) {
          if (item.kind === 'article') seen.push(item.article.pmid);
        }
      })(),
    ).rejects.toMatchObject({ code: 'bad_response', source: 'pubmed' });
    const expected = parseArticleSet(xml).articles.map((article) => article.pmid);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual(expected.slice(0, seen.length));
  });

  it('an HTML page is rejected as soon as its root element arrives', async () => {
    await expect(collect(chunks('<html><body>Too Many Requests</body></html>', 8))).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('stops reading the source when the consumer stops early', async () => {
    let read = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of chunks(fixtureBytes(ONCOLOGY), 1024)) {
          read++;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    const pmids: string[] = [];
    for await (const item of streamArticleSet(source())) {
      if (item.kind === 'article') pmids.push(item.article.pmid);
      if (pmids.length === 3) break;
    }
    expect(closed).toBe(true);
    expect(read).toBeLessThan(200); // the 2 MB file is ~1,950 chunks
  });
});
