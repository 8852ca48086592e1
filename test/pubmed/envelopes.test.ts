import fs from 'node:fs';
import path from 'node:path';
import { PaperbotError } from '../../src/core/errors';
import { parseElinkXml, parseEsearchJson } from '../../src/pubmed/envelopes';

const fixture = (name: string): string =>
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ncbi', name), 'utf8');

function thrown(fn: () => unknown): PaperbotError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PaperbotError) return error;
    throw error;
  }
  throw new Error('expected a PaperbotError');
}

describe('parseEsearchJson on recorded answers', () => {
  it('reads counts (sent as strings), PMIDs in order and the query translation', () => {
    const r = parseEsearchJson(fixture('esearch_pubmed_json_three_hits.json'));
    expect(r.count).toBe(3);
    expect(r.retmax).toBe(3);
    expect(r.retstart).toBe(0);
    expect(r.pmids).toEqual(['32150788', '29373119', '17427195']);
    expect(r.queryTranslation).toBe('"PTEN"[Title/Abstract] AND "D326N"[Title/Abstract]');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.phrasesNotFound).toEqual([]);
  });

  it('reads a 1000-id page of a larger result', () => {
    const r = parseEsearchJson(fixture('esearch_pubmed_json_page1_1000ids.json'));
    expect(r.count).toBe(2070);
    expect(r.retmax).toBe(1000);
    expect(r.pmids).toHaveLength(1000);
    expect(r.pmids[0]).toBe('29755038');
    expect(r.pmids[999]).toBe('29058590');
  });

  it("copes with NCBI's history answer and its odd empty-array formatting", () => {
    const r = parseEsearchJson(fixture('esearch_pubmed_json_usehistory_translationstack.json'));
    expect(r.count).toBe(36332);
    expect(r.pmids).toHaveLength(20);
    expect(r.pmids[0]).toBe('29807890');
    expect(r.pmids[19]).toBe('29785957');
    expect(r.queryTranslation?.startsWith('loattrfree full text[Filter] AND ("Am Heart J"[jour]')).toBe(true);
    expect(r.history).toEqual({
      webenv: 'NCID_1_243404818_130.14.22.215_9001_1527820979_1002563964_0MetA0_S_MegaStore',
      queryKey: '1',
    });
  });

  it('has no history handle when the search did not ask for one', () => {
    expect(parseEsearchJson(fixture('esearch_pubmed_json_one_hit.json')).history).toBeUndefined();
  });

  it('reads a single hit', () => {
    expect(parseEsearchJson(fixture('esearch_pubmed_json_one_hit.json')).pmids).toEqual(['18033691']);
  });
});

describe("parseEsearchJson on PubMed's remarks and errors", () => {
  // The shape of a real "nothing found" answer as NCBI sends it (quoted in public client code).
  const notFound =
    '{"header":{"type":"esearch","version":"0.3"},"esearchresult":{"count":"0","retmax":"0","retstart":"0","idlist":[],' +
    '"translationset":[],"querytranslation":"(TB03JUN2009E__Contig_2000[All Fields])","errorlist":{"phrasesnotfound":' +
    '["TB03JUN2009E__Contig_2000"],"fieldsnotfound":[]},"warninglist":{"phrasesignored":[],"quotedphrasesnotfound":[],' +
    '"outputmessages":["No items found."]}}}';

  it('separates the error list from the warning list; "No items found." is an output message', () => {
    const r = parseEsearchJson(notFound);
    expect(r.count).toBe(0);
    expect(r.pmids).toEqual([]);
    expect(r.phrasesNotFound).toEqual(['TB03JUN2009E__Contig_2000']);
    expect(r.fieldsNotFound).toEqual([]);
    expect(r.outputMessages).toEqual(['No items found.']);
    expect(r.warnings).toEqual(['No items found.']);
    expect(r.errors).toEqual([]);
  });

  it('returns ESearch ERROR text in errors, even with the raw newline NCBI puts in it past 10k', () => {
    const body =
      '{"header":{"type":"esearch","version":"0.3"},"esearchresult":{"ERROR":"Search Backend failed: Exception:\n' +
      "'retstart' cannot be larger than 9998.\"}}";
    const r = parseEsearchJson(body);
    expect(r.errors).toEqual(["Search Backend failed: Exception: 'retstart' cannot be larger than 9998."]);
    expect(r.pmids).toEqual([]);
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><body>Bad Gateway</body></html>'],
    ['truncated JSON', fixture('esearch_pubmed_json_three_hits.json').slice(0, 120)],
    ['an XML answer', fixture('esearch_error_invalid_db.xml')],
    ['JSON without esearchresult', '{"error":"API rate limit exceeded"}'],
    ['ids that are not PMIDs', '{"esearchresult":{"count":"1","idlist":["abc"]}}'],
    ['a count that is not a number', '{"esearchresult":{"count":"many","idlist":[]}}'],
  ])('refuses %s as bad_response', (_name, body) => {
    const e = thrown(() => parseEsearchJson(body));
    expect(e.code).toBe('bad_response');
    expect(e.retryable).toBe(true);
    expect(e.source).toBe('pubmed');
  });
});

describe('parseElinkXml', () => {
  it('returns pubmed_pubmed neighbours in document order when there are no scores, without the source PMID', () => {
    const links = parseElinkXml(fixture('elink_pubmed_pubmed_related.xml'));
    // 76 links in the recorded pubmed_pubmed set, the first being 14873513 itself.
    expect(links).toHaveLength(75);
    expect(links[0]).toEqual({ id: '16450204' });
    expect(links[1]?.id).toBe('18567069');
    expect(links.at(-1)?.id).toBe('15069009');
    expect(links.some((l) => l.id === '14873513')).toBe(false);
  });

  it('reads only the link set asked for among many', () => {
    const links = parseElinkXml(fixture('elink_pubmed_neighbor_all_linknames.xml'));
    expect(links).toHaveLength(100);
    expect(links[0]?.id).toBe('8794856');
    expect(links.at(-1)?.id).toBe('17333235');
    expect(
      parseElinkXml(fixture('elink_pubmed_neighbor_all_linknames.xml'), 'pubmed_pubmed_citedin')[0]?.id,
    ).toBe('38830800');
  });

  it('orders by Score, highest first, keeping document order among ties', () => {
    const links = parseElinkXml(fixture('elink_protein_scores.xml'), 'protein_protein');
    expect(links).toEqual([
      { id: '15921743', score: 381 },
      { id: '70607303', score: 178 },
      { id: '68567951', score: 178 },
      { id: '145702933', score: 161 },
      { id: '146304683', score: 161 },
      { id: '6015889', score: 142 },
      { id: '13813749', score: 142 },
      { id: '15897502', score: 142 },
    ]);
  });

  it('sorts scored links that arrive out of order', () => {
    const xml = fixture('elink_protein_scores.xml').replace('<Score>381</Score>', '<Score>100</Score>');
    expect(
      parseElinkXml(xml, 'protein_protein')
        .map((l) => l.id)
        .slice(0, 3),
    ).toEqual(['70607303', '68567951', '145702933']);
  });

  it('answers no neighbours for a PMID without links', () => {
    const xml = fixture('elink_pubmed_pubmed_related.xml').replace(/<LinkSetDb>[\s\S]*<\/LinkSetDb>/, '');
    expect(parseElinkXml(xml)).toEqual([]);
  });

  it('refuses truncated, HTML and wrong-root answers as bad_response', () => {
    const full = fixture('elink_pubmed_pubmed_related.xml');
    expect(thrown(() => parseElinkXml(full.slice(0, full.length / 2))).code).toBe('bad_response');
    expect(thrown(() => parseElinkXml('<!DOCTYPE html><html><body>oops</body></html>')).code).toBe(
      'bad_response',
    );
    expect(thrown(() => parseElinkXml(fixture('esearch_error_invalid_db.xml'))).code).toBe('bad_response');
  });

  it('turns a document-level <ERROR> into upstream_error', () => {
    const xml = fixture('esearch_error_invalid_db.xml').replace(/eSearchResult/g, 'eLinkResult');
    const e = thrown(() => parseElinkXml(xml));
    expect(e.code).toBe('upstream_error');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('Invalid db name specified: fleegle');
  });
});
