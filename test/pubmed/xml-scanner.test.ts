// The byte-level XML scanner under the PubMed reader: events, entities, skipped subtrees (tag by tag and
// the native search for long ones), chunk boundaries anywhere, and every well-formedness error it reports.

import { MAX_UNFINISHED_BYTES, XmlScanner, XmlSyntaxError } from '../../src/pubmed/xml-scanner';
import { parseArticleSet } from '../../src/pubmed/xml';
import { editOnce, fixture, fixtureBytes } from './xml-fixtures';

/** Events as strings; elements named in `skip` are skipped, `capture` elements have their text read. */
function scan(
  input: string | Buffer,
  options: { skip?: string[]; capture?: string[]; chunk?: number } = {},
): string[] {
  const events: string[] = [];
  const skip = new Set(options.skip ?? []);
  const capture = new Set(options.capture ?? []);
  let depth = 0;
  let capturingAt = -1;
  const scanner = new XmlScanner({
    open(name) {
      if (skip.has(name)) {
        events.push(`skip ${name}`);
        return false;
      }
      depth++;
      const attrs = ['Type', 'Label'].map((a) => scanner.attribute(a)).filter((v) => v !== undefined);
      events.push(`<${name}${attrs.length > 0 ? ` ${attrs.join(',')}` : ''}>@${scanner.line}`);
      if (capture.has(name) && capturingAt < 0) {
        capturingAt = depth;
        scanner.capturing = true;
      }
      return true;
    },
    close(name) {
      if (depth === capturingAt) {
        capturingAt = -1;
        scanner.capturing = false;
      }
      depth--;
      events.push(`</${name}>`);
    },
    text(text) {
      events.push(`"${text}"`);
    },
  });
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const size = options.chunk ?? bytes.length;
  for (let at = 0; at < bytes.length; at += size) scanner.write(bytes.subarray(at, at + size));
  scanner.end();
  return events;
}

/** Text is read (so checked) inside <a> and <b>; elsewhere only markup is. */
function syntaxError(input: string): string {
  try {
    scan(input, { capture: ['a', 'b'] });
  } catch (error) {
    expect(error).toBeInstanceOf(XmlSyntaxError);
    return (error as Error).message;
  }
  throw new Error('expected a syntax error');
}

describe('XmlScanner events', () => {
  it('reports elements with their start-tag line, attributes on demand, and text only while captured', () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE a PUBLIC "-//X//EN" "x.dtd">\n<a>\n <b Type="t" Label="l &amp; m">one</b>\n' +
      ' <c>two<d/></c>\n</a>\n';
    expect(scan(xml, { capture: ['b'] })).toEqual([
      '<a>@3',
      '<b t,l & m>@4',
      '"one"',
      '</b>',
      '<c>@5',
      '<d>@5',
      '</d>',
      '</c>',
      '</a>',
    ]);
  });

  it('decodes the five entities, numeric references and UTF-8, and passes CDATA through', () => {
    const xml = '<a>&lt;&gt;&amp;&quot;&apos; &#956;&#x3bc; µ <![CDATA[<i>&amp;</i>]]></a>';
    expect(
      scan(xml, { capture: ['a'] })
        .slice(1, -1)
        .join(''),
    ).toBe('"<>&"\' μμ µ ""<i>&amp;</i>"');
  });

  it('skips a subtree without a callback, whatever it holds', () => {
    const xml = '<a><s x="1>2"><t>text &unknown; here</t><!-- </s> --><s>nested</s><u/></s><b>kept</b></a>';
    expect(scan(xml, { skip: ['s'], capture: ['b'] })).toEqual([
      '<a>@1',
      'skip s',
      '<b>@1',
      '"kept"',
      '</b>',
      '</a>',
    ]);
  });

  it('skips long subtrees natively, unless a nested namesake, a comment or CDATA could fake the end', () => {
    const refs = (n: number, extra = ''): string =>
      `<List>${Array.from({ length: n }, (_, i) => `<Ref><Id>${i}</Id></Ref>`).join('')}${extra}</List>`;
    const cases = [
      refs(40),
      refs(40, '<List><Ref/></List>'),
      refs(40, '<!-- </List> -->'),
      refs(40, '<![CDATA[</List>]]>'),
    ];
    for (const inner of cases) {
      const xml = `<a>\n${inner}\n<b>after</b>\n</a>`;
      for (const chunk of [7, 64, 100_000]) {
        expect(scan(xml, { skip: ['List'], capture: ['b'], chunk })).toEqual([
          '<a>@1',
          'skip List',
          '<b>@3',
          '"after"',
          '</b>',
          '</a>',
        ]);
      }
    }
  });

  it('gives the same events for a real record cut into chunks of any size', () => {
    const bytes = fixtureBytes('efetch_pubmed_2records_nct_2018.xml');
    const options = { skip: ['ReferenceList', 'AffiliationInfo'], capture: ['ArticleTitle', 'LastName'] };
    const whole = scan(bytes, options);
    for (const chunk of [1, 2, 3, 5, 13, 1000]) expect(scan(bytes, { ...options, chunk })).toEqual(whole);
  });

  it('ignores a byte order mark, even split across chunks', () => {
    const xml = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>x</a>')]);
    expect(scan(xml, { capture: ['a'], chunk: 1 })).toEqual(['<a>@1', '"x"', '</a>']);
  });
});

describe('XmlScanner well-formedness', () => {
  it.each([
    ['', /root element/],
    ['text', /outside of root/],
    ['<a></a>text', /outside of root/],
    ['<a></a><b></b>', /more than one root/],
    ['<a><b></a>', /unexpected end tag <\/a>, expected <\/b>/],
    ['<a><s><t></s></a>', /unexpected end tag <\/s>, expected <\/t>/],
    ['<a></b>', /expected <\/a>/],
    ['</a>', /expected no open element/],
    ['<a>', /unclosed tag: a/],
    ['<a><b', /unclosed tag: a/],
    ['<a>&nbsp;</a>', /undefined entity/],
    ['<a>AT&T</a>', /not followed by a reference/],
    ['<a>&#0;</a>', /invalid character reference/],
    ['<a b="1>', /unclosed tag|ends inside a tag/],
    ['<a"b"></a>', /invalid character in a tag name/],
    ['<a><!ELEMENT x></a>', /unknown markup declaration/],
    ['<a></a><!DOCTYPE a>', /DOCTYPE after the root/],
    ['< a></a>', /tag without a name/],
  ])('%j is rejected (%s)', (xml, message) => {
    expect(syntaxError(xml)).toMatch(message);
  });

  it('text is checked where it is read; the line and column of the fault are given', () => {
    expect(syntaxError('<x>\n<b>&bogus;</b></x>')).toMatch(/^2:4: undefined entity &bogus;/);
    expect(scan('<x>&bogus;<b>fine</b></x>', { capture: ['b'] })).toContain('"fine"');
  });

  it('gives up on a tag or wanted text left unfinished for more than MAX_UNFINISHED_BYTES', () => {
    const scanner = new XmlScanner({ open: () => true, close: () => undefined, text: () => undefined });
    scanner.write(Buffer.from('<a>\n<b x="1"'));
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const write = (): void => {
      for (let i = 0; i <= MAX_UNFINISHED_BYTES / chunk.length; i++) scanner.write(chunk);
    };
    expect(write).toThrow(/^2:1: markup or text not finished within 16 MB/);
    // Long text nobody reads is not held at all.
    const reader = new XmlScanner({ open: () => true, close: () => undefined, text: () => undefined });
    reader.write(Buffer.from('<a>'));
    for (let i = 0; i < 20; i++) reader.write(chunk);
    reader.write(Buffer.from('</a>'));
    expect(() => reader.end()).not.toThrow();
  });

  it('an attribute asked for must be well-formed', () => {
    const scanner = new XmlScanner({
      open: () => {
        scanner.attribute('Type');
        return true;
      },
      close: () => undefined,
      text: () => undefined,
    });
    expect(() => scanner.write(Buffer.from('<a Type=x>'))).toThrow(/without quotes/);
  });
});

describe('the reader on the scanner', () => {
  it('a malformed tag inside a skipped part of a record still fails the set', () => {
    const xml = editOnce(
      fixture('efetch_pubmed_35649368.xml'),
      '<DateCompleted>',
      '<DateCompleted><Oops></DateCompleted>',
    );
    expect(() => parseArticleSet(xml)).toThrow(/not well-formed.*expected <\/Oops>/);
  });
});
