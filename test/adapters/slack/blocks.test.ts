// Every recorded PubMed record through the Block Kit renderer, checked against Slack's limits by an
// independent checker; hostile record text; retraction and correction warnings; the other card types.

import fs from 'node:fs';
import path from 'node:path';
import { parseActionsBlockId, renderReply } from '../../../adapters/slack/blocks';
import type { Article } from '../../../src/core/article';
import { articleCard } from '../../../src/core/cards';
import { helpCard } from '../../../src/core/help';
import type { ArticleCard, Reply } from '../../../src/core/reply';
import { parseArticleSet } from '../../../src/pubmed/xml';
import { allTexts, checkBlocks } from './block-checker';

const NCBI = path.join(__dirname, '..', '..', 'fixtures', 'ncbi');
const read = (name: string): string => fs.readFileSync(path.join(NCBI, name), 'utf8');
const efetchFiles = fs.readdirSync(NCBI).filter((f) => f.startsWith('efetch_') && f.endsWith('.xml'));

function articlesOf(xml: string): Article[] {
  return parseArticleSet(xml).articles;
}

const card = (a: Article, detail: 'summary' | 'full' = 'summary'): ArticleCard =>
  articleCard(a, { detail, source: 'pubmed', stale: false });
const reply = (cards: Reply['cards'], extra: Partial<Reply> = {}): Reply => ({
  cards,
  visibility: 'private',
  ...extra,
});

const allArticles = efetchFiles.flatMap((f) => articlesOf(read(f)).map((a) => ({ file: f, article: a })));

describe('every fixture record fits Block Kit', () => {
  it('reads a non-trivial set of records', () => {
    // 111 + 93 + 15 records in the multi-record files alone.
    expect(allArticles.length).toBeGreaterThan(219);
  });

  it.each(efetchFiles)('%s: each record alone, summary and full', (file) => {
    for (const article of articlesOf(read(file))) {
      for (const detail of ['summary', 'full'] as const) {
        const message = renderReply(reply([card(article, detail)]), { messageKey: 'k1' });
        expect({ pmid: article.pmid, detail, problems: checkBlocks(message.blocks) }).toEqual({
          pmid: article.pmid,
          detail,
          problems: [],
        });
        expect(message.text.length).toBeGreaterThan(0);
        expect(message.text.length).toBeLessThanOrEqual(300);
      }
    }
  });

  it('pages of five summaries with Next 5 and a notice fit, and keep the Next 5 button', () => {
    for (let i = 0; i < allArticles.length; i += 5) {
      const page = allArticles.slice(i, i + 5).map((x) => card(x.article));
      const message = renderReply(
        reply(page, {
          more: `more ${'x'.repeat(300)}`,
          notice: 'PubMed warning: "x" not found',
          total: 1234,
        }),
        { messageKey: 'k2' },
      );
      expect(checkBlocks(message.blocks)).toEqual([]);
      const last = message.blocks[message.blocks.length - 1];
      expect(last?.type).toBe('actions');
    }
  });

  it('twenty full records at once are shortened, never rejected', () => {
    const many = allArticles.slice(0, 20).map((x) => card(x.article, 'full'));
    const message = renderReply(reply(many), { messageKey: 'k3' });
    expect(checkBlocks(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('compact unfurl cards carry no buttons', () => {
    for (const { article } of allArticles.slice(0, 40)) {
      const message = renderReply(reply([card(article, 'full')]), { compact: true });
      expect(checkBlocks(message.blocks)).toEqual([]);
      expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    }
  });
});

describe('record content on the card', () => {
  const [italic] = articlesOf(read('efetch_pubmed_structured_italic_title_27797938.xml'));
  if (!italic) throw new Error('fixture missing');

  it('links the title to PubMed and keeps its italics', () => {
    const texts = allTexts(renderReply(reply([card(italic)])).blocks);
    // The recorded title: "Leucocyte telomere length, genetic variants at the <i>TERT</i> gene region and risk of pancreatic cancer."
    expect(texts).toContainEqual(
      expect.stringContaining(
        '*<https://pubmed.ncbi.nlm.nih.gov/27797938/|Leucocyte telomere length, genetic variants at the _TERT_ gene region and risk of pancreatic cancer.>*',
      ),
    );
  });

  it('shows the abstract only in full detail, with its labels', () => {
    const summary = allTexts(renderReply(reply([card(italic)])).blocks).join('\n');
    const full = allTexts(renderReply(reply([card(italic, 'full')])).blocks).join('\n');
    expect(summary).not.toContain('*OBJECTIVE*');
    expect(full).toContain('*OBJECTIVE*');
    expect(full).toContain('Telomere shortening occurs as an early event in pancreatic tumorigenesis');
  });

  it('puts PMID, DOI and buttons whose values are the core commands', () => {
    const message = renderReply(reply([card(italic)]), { messageKey: 'abc' });
    const actions = message.blocks.find((b) => b.type === 'actions');
    if (actions?.type !== 'actions') throw new Error('no actions');
    expect(parseActionsBlockId(actions.block_id)).toEqual({ messageKey: 'abc', index: 0 });
    const values = actions.elements.map((e) => (e.type === 'button' ? e.value : e.type));
    expect(values).toEqual(['show 27797938', 'similar 27797938', 'static_select', 'share 27797938']);
    const cite = actions.elements.find((e) => e.type === 'static_select');
    expect(cite?.type === 'static_select' && cite.options?.map((o) => o.value)).toEqual([
      'cite 27797938 ama',
      'cite 27797938 vancouver',
      'cite 27797938 apa',
      'cite 27797938 bibtex',
      'cite 27797938 ris',
    ]);
  });

  it('offers Trials when the record links NCT ids', () => {
    const articles = articlesOf(read('efetch_pubmed_rct_phase3_databank_29768149.xml'));
    const withTrials = articles.find((a) => a.trials.length > 0);
    if (!withTrials) throw new Error('fixture has no NCT ids');
    const texts = allTexts(renderReply(reply([card(withTrials)])).blocks).join('\n');
    expect(texts).toContain(
      `<https://clinicaltrials.gov/study/${withTrials.trials[0]}|${withTrials.trials[0]}>`,
    );
    const message = renderReply(reply([card(withTrials)]));
    const values = message.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .map((e) => (e.type === 'button' ? e.value : ''));
    expect(values).toContain(`trial ${withTrials.trials.join(' ')}`);
  });
});

describe('hostile record text', () => {
  const [base] = articlesOf(read('efetch_pubmed_35649368.xml'));
  if (!base) throw new Error('fixture missing');
  const hostile: Article = {
    ...base,
    title: [
      { text: '<!channel> buy now <https://evil|click> ' },
      { text: '*bold* _it_ ~x~ `code`', style: ['italic'] },
      { text: ' @here &lt; :warning: RETRACTED' },
    ],
    authors: [{ display: '<@U123ABC>' }, { display: 'O*Brien_ J' }],
    journal: 'J <b>Evil</b> & Co',
    abstract: [{ label: '<!here>', text: [{ text: '> quoted https://evil.example/x <#C123> @everyone' }] }],
  };
  const message = renderReply(reply([card(hostile, 'full')]));
  const texts = allTexts(message.blocks);
  const joined = texts.join('\n');

  it('passes the checker: no mention, broadcast, foreign link or raw markup', () => {
    expect(checkBlocks(message.blocks)).toEqual([]);
    expect(checkBlocks([{ type: 'section', text: { type: 'mrkdwn', text: '<!channel> hi' } }])).not.toEqual(
      [],
    );
  });

  it('cannot format, fake a warning or quote', () => {
    for (const raw of [
      '*bold*',
      '_it_',
      '~x~',
      '`code`',
      ':warning: RETRACTED',
      '<!channel>',
      '<https://evil',
      '<@U123ABC>',
      '<#C123>',
    ])
      expect(joined).not.toContain(raw);
    expect(message.blocks[0]?.type === 'section' && message.blocks[0].text?.text).not.toMatch(/RETRACTED/);
    expect(joined).not.toMatch(/(^|\n)&gt;/);
    expect(joined).not.toMatch(/https:\/\/evil/);
  });

  it('still shows the words, with "&lt;" kept literal', () => {
    expect(joined).toContain('&lt;!channel&gt; buy now');
    expect(joined).toContain('&amp;lt;');
    expect(joined).toContain('J &lt;b&gt;Evil&lt;/b&gt; &amp; Co');
  });

  it('marks every text object verbatim so Slack does not auto-link', () => {
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.type === 'mrkdwn') expect(o.verbatim).toBe(true);
        Object.values(o).forEach(walk);
      }
    };
    walk(message.blocks);
  });
});

describe('retractions and corrections', () => {
  const erratumXml = read('efetch_pubmed_35649368.xml');
  it('warns about an erratum, naming the correction PMID (recorded ErratumIn 35767954)', () => {
    const [a] = articlesOf(erratumXml);
    if (!a) throw new Error('fixture missing');
    const first = renderReply(reply([card(a)])).blocks[0];
    expect(first?.type === 'section' && first.text?.text).toMatch(/^:memo: \*Erratum\*.*PMID 35767954/);
  });

  it('puts a RETRACTED warning first, naming the retraction notice', () => {
    const xml = erratumXml
      .replace('RefType="ErratumIn"', 'RefType="RetractionIn"')
      .replace(
        '<PublicationType UI="D016428">Journal Article</PublicationType>',
        '$&<PublicationType UI="D016441">Retracted Publication</PublicationType>',
      );
    const [a] = articlesOf(xml);
    if (!a) throw new Error('fixture missing');
    expect(a.retracted).toBe(true);
    const message = renderReply(reply([card(a)]));
    const first = message.blocks[0];
    expect(first?.type === 'section' && first.text?.text).toBe(
      ':warning: *RETRACTED* — this article has been retracted. Retraction notice: <https://pubmed.ncbi.nlm.nih.gov/35767954/|PMID 35767954>.',
    );
    expect(message.text.startsWith('RETRACTED: ')).toBe(true);
  });

  it('labels a retraction notice as such, never as retracted', () => {
    const xml = read('efetch_pubmed_38962805.xml').replace('RefType="ErratumFor"', 'RefType="RetractionOf"');
    const [a] = articlesOf(xml);
    if (!a) throw new Error('fixture missing');
    expect(a.retracted).toBe(false);
    const texts = allTexts(renderReply(reply([card(a)])).blocks).join('\n');
    expect(texts).toContain(
      ':page_facing_up: *Retraction notice* — this record retracts <https://pubmed.ncbi.nlm.nih.gov/',
    );
    expect(texts).not.toContain('RETRACTED');
  });

  it('shows comments as a context line', () => {
    const a = articlesOf(read('efetch_pubmed_rct_phase3_databank_22663011.xml'))[0];
    if (!a) throw new Error('fixture missing');
    const contexts = renderReply(reply([card(a)])).blocks.filter((b) => b.type === 'context');
    expect(allTexts(contexts).join('\n')).toMatch(
      /Comment in <https:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/\d+\/\|PMID \d+>/,
    );
  });
});

describe('other cards', () => {
  it('renders help, errors, citations and shares within limits', () => {
    const help = renderReply(reply([helpCard()]));
    expect(checkBlocks(help.blocks)).toEqual([]);
    expect(help.blocks[0]?.type).toBe('header');

    const error = renderReply(
      reply([{ type: 'error', message: 'PubMed is <b>down</b>', hint: 'Try again' }]),
    );
    expect(checkBlocks(error.blocks)).toEqual([]);
    expect(allTexts(error.blocks)).toEqual([':warning: PubMed is &lt;b&gt;down&lt;/b&gt;', 'Try again']);

    const bib = '@article{x, title={A <i>b</i> & `c`}, author={O*Brien_ J}}';
    const cite = renderReply(reply([{ type: 'citation', pmid: '27797938', format: 'bibtex', text: bib }]));
    expect(checkBlocks(cite.blocks)).toEqual([]);
    // Inside a code block the text copies exactly (entities decode back), with only backticks replaced.
    expect(allTexts(cite.blocks)).toContain(
      '```@article{x, title={A &lt;i&gt;b&lt;/i&gt; &amp; \u02cbc\u02cb}, author={O*Brien_ J}}```',
    );

    const [a] = articlesOf(read('efetch_pubmed_35649368.xml'));
    if (!a) throw new Error('fixture missing');
    const shared = renderReply({ cards: [card(a)], visibility: 'channel', sharedBy: { id: 'U00FAKEUSER2' } });
    expect(allTexts(shared.blocks)[0]).toBe(':busts_in_silhouette: Shared by <@U00FAKEUSER2>');
    const forged = renderReply({ cards: [card(a)], visibility: 'channel', sharedBy: { id: '!channel' } });
    expect(allTexts(forged.blocks).join('\n')).not.toContain('Shared by');
  });

  it('never sends an empty message', () => {
    expect(checkBlocks(renderReply(reply([])).blocks)).toEqual([]);
  });
});
