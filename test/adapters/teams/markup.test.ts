// The one-pass markup scanners find exactly what the regular expressions they replaced found (those are the
// oracle here, on short strings), and take 1 MB of adversarial markup in linear time.

import fc from 'fast-check';
import { atTags, replaceAtTags, spaceOutTags } from '../../../adapters/teams/markup';

const NAMES = new Set(['p', 'div', 'span', 'br', 'b', 'i', 'em', 'strong']);
const AT_TAG = /<at[^>]*>([\s\S]*?)<\/at>/gi;
const FORMATTING = /<\/?(?:p|div|span|br|b|i|em|strong)\b[^>]*>/gi;

/** Markup-ish text: the pieces that make tags, matched and unmatched, in any order. */
const markup = fc
  .array(
    fc.constantFrom(
      '<',
      '>',
      '/',
      'at',
      'AT',
      '<at>',
      '</at>',
      '<at x="1">',
      'p',
      'b',
      'br',
      'strong',
      'STRONG',
      'span',
      'x',
      ' ',
      '\n',
      '_',
      '1',
      '<p>',
      '</div>',
      'é',
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

describe('Teams markup scanners', () => {
  it('find the same <at> tags as the regular expression', () => {
    fc.assert(
      fc.property(markup, (text) => {
        const expected = [...text.matchAll(AT_TAG)].map((m) => ({
          start: m.index,
          end: m.index + m[0].length,
          inner: m[1],
        }));
        expect(atTags(text)).toEqual(expected);
        expect(replaceAtTags(text, (inner) => `[${inner}]`)).toBe(
          text.replace(AT_TAG, (_all, inner: string) => `[${inner}]`),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('space out the same formatting tags as the regular expression', () => {
    fc.assert(
      fc.property(markup, (text) => {
        expect(spaceOutTags(text, NAMES)).toBe(text.replace(FORMATTING, ' '));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(['<p', '<at', '<at>', '<at>x', '</at', '<b', '</p', 'x<at y>', '<strong', '<p>a</p>', '<<>>'])(
    'return on 1 MB of %j',
    (seed) => {
      const text = seed.repeat(Math.ceil(2 ** 20 / seed.length));
      expect(atTags(text).length).toBeGreaterThanOrEqual(0);
      expect(typeof spaceOutTags(text, NAMES)).toBe('string');
    },
  );
});
