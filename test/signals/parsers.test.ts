// The signal parsers on the recorded answers of Europe PMC, Unpaywall and Crossref: what each field becomes,
// what is left out (absent is absent), and damaged bodies refused as bad_response.

import { parseWork } from '../../src/crossref/parse';
import { parseLiteSearch, parseWorkList } from '../../src/europepmc/parse';
import { signalsOf } from '../../src/europepmc/service';
import { parseUnpaywall } from '../../src/unpaywall/parse';
import { readSignalFixture, recordedCrossrefWork } from '../peers/signal-fixtures';

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

const json = (service: 'europepmc' | 'unpaywall' | 'crossref', name: string): unknown =>
  JSON.parse(readSignalFixture(service, name));

describe('Europe PMC lite search', () => {
  it('reads the citation count, the PMC copy and the DOI of a PubMed record', () => {
    const records = parseLiteSearch(json('europepmc', 'epmc-search-EXT_ID-20516115-SRC-MED-lite.json'));
    expect([...records.values()]).toEqual([
      {
        pmid: '20516115',
        pmcid: 'PMC3040717',
        doi: '10.1158/0008-5472.can-09-4563',
        citedByCount: 133,
        openAccess: false,
        inPmc: true,
        hasReferences: true,
      },
    ]);
  });

  it('says Europe PMC holds the reference list only when the record has hasReferences "Y"', () => {
    const body = json('europepmc', 'epmc-search-ATM-c.7390T-C-lite.json') as {
      resultList: { result: Record<string, unknown>[] };
    };
    const listed = must(parseLiteSearch(body).get('30197789'));
    expect(listed.hasReferences).toBe(true);
    expect(signalsOf(listed).references).toEqual({ service: 'europepmc' });
    // The recorded "N" is on a PMC-only record the parser leaves out; the same answer on a PubMed record:
    for (const r of body.resultList.result) r.hasReferences = 'N';
    const none = must(parseLiteSearch(body).get('30197789'));
    expect(none.hasReferences).toBe(false);
    expect(signalsOf(none).references).toBeUndefined();
    for (const r of body.resultList.result) delete r.hasReferences;
    expect(signalsOf(must(parseLiteSearch(body).get('30197789'))).references).toBeUndefined();
  });

  it('keeps only records with a PMID (a PMC-only abstract book has none)', () => {
    const records = parseLiteSearch(json('europepmc', 'epmc-search-MLH1-p.Gly67Glu-lite-MED-and-PMC.json'));
    expect([...records.keys()]).toEqual(['36457512', '32081490', '29887214', '19493351', '19142183']);
    expect(records.get('36457512')).toMatchObject({ openAccess: true, inPmc: true, citedByCount: 4 });
  });

  it('words a PMC copy as open access only when Europe PMC says it carries an open licence', () => {
    const records = parseLiteSearch(json('europepmc', 'epmc-search-MLH1-p.Gly67Glu-lite-MED-and-PMC.json'));
    const open = signalsOf(must(records.get('36457512')));
    expect(open.openAccess).toEqual({
      service: 'europepmc',
      status: 'open',
      url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC9706001/',
      host: 'pmc',
      openLicence: true,
    });
    const free = signalsOf(must(records.get('32081490')));
    expect(free.openAccess).toEqual({
      service: 'europepmc',
      status: 'open',
      url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC7183432/',
      host: 'pmc',
    });
    expect(free.citedBy).toEqual({
      service: 'europepmc',
      count: 39,
      url: 'https://europepmc.org/search?query=CITES%3A32081490_MED',
    });
    expect(free.doi).toBe('10.1016/j.ophtha.2019.11.009');
  });

  it('a record without a count has no citedBy at all, never a 0', () => {
    const body = json('europepmc', 'epmc-search-EXT_ID-20516115-SRC-MED-lite.json') as {
      resultList: { result: Record<string, unknown>[] };
    };
    delete body.resultList.result[0]?.citedByCount;
    const r = must(parseLiteSearch(body).get('20516115'));
    expect(r.citedByCount).toBeUndefined();
    expect(signalsOf(r).citedBy).toBeUndefined();
  });

  it('refuses a body that is not a search answer', () => {
    expect(() => parseLiteSearch({ hitCount: 1 })).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});

describe('Europe PMC citation lists', () => {
  it('reads the citing works, each with its PMID', () => {
    const list = parseWorkList(json('europepmc', 'epmc-MED-24073682-citations-pageSize5.json'), 'citations');
    expect(list.total).toBe(1257);
    expect(list.works).toHaveLength(5);
    expect(list.works[0]).toEqual({
      pmid: '42601793',
      title:
        'Mechanism-Informed Pharmacotherapy Optimization and Deprescribing: A Redox-Mitochondrial Framework.',
      authors: 'Martinc B.',
      journal: 'Pharmacol Res Perspect',
      year: '2026',
    });
  });

  it('reads the references', () => {
    const list = parseWorkList(
      json('europepmc', 'epmc-MED-28815688-references-pageSize5.json'),
      'references',
    );
    expect(list.total).toBe(40);
    expect(list.works.map((w) => w.pmid)).toEqual([
      '21480335',
      '24860505',
      '21393479',
      expect.any(String),
      expect.any(String),
    ]);
  });
});

describe('Unpaywall', () => {
  it('gold: the publisher copy, classified', () => {
    expect(parseUnpaywall(json('unpaywall', 'unpaywall-10.1016_j.xgen.2025.100814-gold.json'))).toEqual({
      service: 'unpaywall',
      status: 'open',
      url: 'https://doi.org/10.1016/j.xgen.2025.100814',
      kind: 'gold',
      host: 'publisher',
    });
  });

  it('hybrid', () => {
    expect(
      parseUnpaywall(json('unpaywall', 'unpaywall-10.1016_j.addr.2015.01.008-hybrid.json')),
    ).toMatchObject({
      status: 'open',
      kind: 'hybrid',
      host: 'publisher',
    });
  });

  it('closed: Unpaywall looked and found no open copy', () => {
    expect(parseUnpaywall(json('unpaywall', 'unpaywall-10.1007_s40278-023-41815-2-closed.json'))).toEqual({
      service: 'unpaywall',
      status: 'closed',
    });
  });

  it('refuses a body that is not an Unpaywall answer', () => {
    expect(() => parseUnpaywall({ message: 'x' })).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});

describe('Crossref', () => {
  it('reads a correction registered by the publisher, with its DOI and date', () => {
    const body = json('crossref', 'crossref-works-10.1371_journal.pone.0033693-updated-by-correction.json');
    expect(parseWork(body).notices).toEqual([
      {
        service: 'crossref',
        type: 'correction',
        doi: '10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda',
        url: 'https://doi.org/10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda',
        date: '2012-05-08',
        registeredBy: 'publisher',
      },
    ]);
  });

  it('a new version is not a notice', () => {
    const body = json('crossref', 'crossref-works-10.1371_journal.ppat.1008184-update-to-new_version.json');
    expect(parseWork(body).notices).toEqual([]);
  });

  it('maps retraction, withdrawal and expression of concern (the recorded correction, retyped)', () => {
    const body = json(
      'crossref',
      'crossref-works-10.1371_journal.pone.0033693-updated-by-correction.json',
    ) as {
      message: { 'updated-by': Record<string, unknown>[] };
    };
    const [update] = body.message['updated-by'];
    body.message['updated-by'] = ['retraction', 'withdrawal', 'expression_of_concern', 'addendum'].map(
      (type, i) => ({
        ...update,
        type,
        DOI: `10.1371/annotation/${i}`,
      }),
    );
    expect(parseWork(body).notices.map((n) => n.type)).toEqual([
      'retraction',
      'withdrawal',
      'expression-of-concern',
    ]);
  });

  it('reads the preprint a journal article registered (relation has-preprint)', () => {
    const work = parseWork(recordedCrossrefWork('10.1371/journal.pone.0173707'));
    expect(work).toEqual({
      notices: [],
      versions: [
        {
          service: 'crossref',
          relation: 'preprint',
          doi: '10.1101/074898',
          url: 'https://doi.org/10.1101/074898',
        },
      ],
    });
  });

  it('reads the journal version a preprint registered (is-preprint-of: the recorded relation, turned round)', () => {
    const body = recordedCrossrefWork('10.1371/journal.pone.0173707') as {
      message: { DOI: string; relation: Record<string, Record<string, string>[]> };
    };
    const [link] = body.message.relation['has-preprint'] ?? [];
    body.message.relation = {
      'is-preprint-of': [
        { ...link, id: '10.1371/journal.pone.0173707' },
        { ...link, id: '10.1371/JOURNAL.PONE.0173707' }, // the same DOI, once
        { ...link, 'id-type': 'uri', id: 'https://example.org/x' }, // not a DOI: left out
        { ...link, id: '10.1101/074898' }, // itself: left out
      ],
    };
    body.message.DOI = '10.1101/074898';
    expect(parseWork(body).versions).toEqual([
      {
        service: 'crossref',
        relation: 'published',
        doi: '10.1371/journal.pone.0173707',
        url: 'https://doi.org/10.1371/journal.pone.0173707',
      },
    ]);
  });

  it('other relations (a supplement, a new version) are not versions of the work', () => {
    expect(parseWork(recordedCrossrefWork('10.1371/journal.pone.0196188')).versions).toEqual([]);
    const body = json('crossref', 'crossref-works-10.1371_journal.ppat.1008184-update-to-new_version.json');
    expect(parseWork(body).versions).toEqual([]);
  });

  it('refuses a body that is not a Crossref answer', () => {
    expect(() => parseWork({ status: 'failed' })).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});
