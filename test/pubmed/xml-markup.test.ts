// Inline markup and whitespace in titles and abstracts, built by editing a real record's ArticleTitle.
// What the spans must look like is spelled out here; the parser's own output is never the reference.

import { editOnce, fixture, onlyArticle, plain } from './xml-fixtures';

const ERRATUM_IN = fixture('efetch_pubmed_35649368.xml');

describe('markup and whitespace', () => {
  const title =
    '<ArticleTitle>Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids.</ArticleTitle>';

  function titleOf(inner: string): ReturnType<typeof onlyArticle>['title'] {
    return onlyArticle(editOnce(ERRATUM_IN, title, `<ArticleTitle>${inner}</ArticleTitle>`)).title;
  }

  it('"Role of <i>TP53</i> in" keeps both spaces; layout whitespace collapses', () => {
    expect(titleOf('Role of <i>TP53</i> in cancer')).toEqual([
      { text: 'Role of ' },
      { text: 'TP53', style: ['italic'] },
      { text: ' in cancer' },
    ]);
    expect(titleOf('\n   Role  of\n\t<i>TP53</i>\n   in   cancer  \n')).toEqual([
      { text: 'Role of ' },
      { text: 'TP53', style: ['italic'] },
      { text: ' in cancer' },
    ]);
    expect(plain(titleOf('Role of<i> TP53 </i>in cancer'))).toBe('Role of TP53 in cancer');
  });

  it('nested styles accumulate; entities are decoded', () => {
    expect(titleOf('<b>B<i>BI<sup>BIS</sup></i></b> &amp; <u>u</u>&#x3b2;<sub>2</sub>')).toEqual([
      { text: 'B', style: ['bold'] },
      { text: 'BI', style: ['bold', 'italic'] },
      { text: 'BIS', style: ['bold', 'italic', 'sup'] },
      { text: ' & ' },
      { text: 'u', style: ['underline'] },
      { text: 'β' },
      { text: '2', style: ['sub'] },
    ]);
  });

  it('MathML (prefixed or not) becomes its text content styled math', () => {
    const mml =
      'Dose <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">\n  <mml:mi>D</mml:mi>\n  <mml:mo>=</mml:mo>\n  <mml:msup><mml:mn>2</mml:mn><mml:mn>3</mml:mn></mml:msup>\n</mml:math> Gy';
    expect(titleOf(mml)).toEqual([{ text: 'Dose ' }, { text: 'D=23', style: ['math'] }, { text: ' Gy' }]);
    expect(titleOf('a <math><mi>x</mi></math> b')).toEqual([
      { text: 'a ' },
      { text: 'x', style: ['math'] },
      { text: ' b' },
    ]);
  });

  it('OtherAbstract is not the abstract', () => {
    const other =
      '<OtherAbstract Type="Publisher" Language="spa"><AbstractText>Resumen.</AbstractText></OtherAbstract>';
    const article = onlyArticle(editOnce(ERRATUM_IN, '</Article>', `</Article>${other}`));
    expect(article.abstract).toHaveLength(1);
    expect(plain(article.abstract[0]?.text ?? [])).not.toContain('Resumen');
  });
});
