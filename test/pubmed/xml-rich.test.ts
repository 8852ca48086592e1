// collapseSpace and RichTextBuilder: whitespace rules and span styles, independent of any XML.
// The XML-level versions of these cases are in xml-markup.test.ts.

import { plainText } from '../../src/core/richtext';
import { RichTextBuilder, collapseSpace } from '../../src/pubmed/xml-rich';

describe('collapseSpace', () => {
  it.each([
    ['2019', '2019'],
    ['  Lancet  Oncol\n', 'Lancet Oncol'],
    ['a\t\r\n b', 'a b'],
    [' ', ''],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(collapseSpace(input)).toBe(output);
  });

  it('keeps no-break and thin spaces, which are content', () => {
    expect(collapseSpace('\u00a05\u2009mg\u00a0')).toBe('\u00a05\u2009mg\u00a0');
  });

  it('without trimming keeps one space at each end', () => {
    expect(collapseSpace('  a  b  ', false)).toBe(' a b ');
  });
});

describe('RichTextBuilder', () => {
  function build(steps: (string | ['open' | 'close', string])[]): ReturnType<RichTextBuilder['finish']> {
    const builder = new RichTextBuilder();
    for (const step of steps) {
      if (typeof step === 'string') builder.add(step);
      else if (step[0] === 'open') builder.open(step[1]);
      else builder.close(step[1]);
    }
    return builder.finish();
  }

  it('keeps the spaces between spans, once', () => {
    const text = build(['Role of ', ['open', 'i'], ' TP53 ', ['close', 'i'], ' in']);
    expect(text).toEqual([{ text: 'Role of ' }, { text: 'TP53 ', style: ['italic'] }, { text: 'in' }]);
    expect(plainText(text)).toBe('Role of TP53 in');
  });

  it('merges neighbours of the same style and drops empty runs', () => {
    expect(build(['a', ['open', 'x'], 'b', ['close', 'x'], ['open', 'i'], '', ['close', 'i'], 'c'])).toEqual([
      { text: 'abc' },
    ]);
  });

  it('does not repeat a style nested in itself', () => {
    expect(build([['open', 'i'], 'a', ['open', 'i'], 'b', ['close', 'i'], ['close', 'i']])).toEqual([
      { text: 'ab', style: ['italic'] },
    ]);
  });

  it('is empty for whitespace-only content', () => {
    expect(build(['\n  ', ['open', 'b'], ' ', ['close', 'b'], '\n'])).toEqual([]);
  });
});
