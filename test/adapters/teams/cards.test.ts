// Adaptive Card rendering of core replies built from recorded PubMed and ClinicalTrials.gov records:
// what a clinician must see (links, warnings, badges, buttons carrying commands) and the size ceiling.

import fs from 'node:fs';
import path from 'node:path';
import type { AdaptiveCard, CardAction, CardElement, TextRun } from '../../../adapters/teams/adaptive';
import { MAX_MESSAGE_CHARS, messageSize, renderReply } from '../../../adapters/teams/cards';
import { parseStudy } from '../../../src/clinicaltrials/study';
import { articleCard, trialCard } from '../../../src/core/cards';
import { helpCard } from '../../../src/core/help';
import type { ArticleCard, Reply } from '../../../src/core/reply';
import { parseArticleSet } from '../../../src/pubmed/xml';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

function articles(file: string) {
  return parseArticleSet(fs.readFileSync(path.join(FIXTURES, 'ncbi', file), 'utf8')).articles;
}

function article(file: string, detail: 'summary' | 'full' = 'summary'): ArticleCard {
  const [a] = articles(file);
  if (!a) throw new Error(`no record in ${file}`);
  return articleCard(a, { detail, source: 'pubmed', stale: false });
}

const reply = (cards: Reply['cards'], extra: Partial<Reply> = {}): Reply => ({
  cards,
  visibility: 'private',
  ...extra,
});

function render(r: Reply, o?: Parameters<typeof renderReply>[1]): AdaptiveCard {
  return renderReply(r, o).attachments[0].content;
}

/** Every element, depth first, including those inside containers and show-cards. */
function elements(card: AdaptiveCard): CardElement[] {
  const out: CardElement[] = [];
  const walk = (list: CardElement[]): void => {
    for (const e of list) {
      out.push(e);
      if (e.type === 'Container') walk(e.items);
    }
  };
  walk(card.body);
  return out;
}

function runs(card: AdaptiveCard): TextRun[] {
  return elements(card).flatMap((e) => (e.type === 'RichTextBlock' ? e.inlines : []));
}

function actions(card: AdaptiveCard): CardAction[] {
  const out: CardAction[] = [];
  const add = (list: CardAction[]): void => {
    for (const a of list) {
      out.push(a);
      if (a.type === 'Action.ShowCard') add(a.card.actions ?? []);
    }
  };
  add(card.actions ?? []);
  for (const e of elements(card)) if (e.type === 'ActionSet') add(e.actions);
  return out;
}

const text = (card: AdaptiveCard): string =>
  runs(card)
    .map((r) => r.text)
    .join('');
const commands = (card: AdaptiveCard): string[] =>
  actions(card).flatMap((a) => (a.type === 'Action.Submit' ? [a.data.command] : []));
const urls = (card: AdaptiveCard): string[] =>
  actions(card).flatMap((a) => (a.type === 'Action.OpenUrl' ? [a.url] : []));

describe('an article in a result list (23657305)', () => {
  const card = render(reply([article('efetch_pubmed_23657305.xml')]));

  it('is an Adaptive Card 1.5 at full width', () => {
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(card.msteams?.width).toBe('Full');
  });

  it('links the title to PubMed', () => {
    const title = runs(card).find(
      (r) => r.text === 'Hfe mutations and iron overload in patients with alcoholic liver disease.',
    );
    expect(title?.selectAction?.url).toBe('https://pubmed.ncbi.nlm.nih.gov/23657305/');
    expect(title?.weight).toBe('Bolder');
  });

  it('shows authors · journal · year;citation', () => {
    expect(text(card)).toContain(
      'Costa-Matos L, Batista P, Monteiro N, Henriques P, Girão F, Carvalho A · Arq Gastroenterol · 2013;50(1):35-41',
    );
  });

  it('carries the core commands on Action.Submit buttons, Cite as a menu of formats', () => {
    expect(commands(card)).toEqual([
      'show 23657305',
      'similar 23657305',
      'cite 23657305 ama',
      'cite 23657305 vancouver',
      'cite 23657305 apa',
      'cite 23657305 bibtex',
      'cite 23657305 ris',
      'share 23657305',
    ]);
    const cite = actions(card).find((a) => a.title === 'Cite');
    expect(cite?.type).toBe('Action.ShowCard');
  });

  it('opens PubMed and the DOI with Action.OpenUrl', () => {
    expect(urls(card)).toEqual([
      'https://pubmed.ncbi.nlm.nih.gov/23657305/',
      'https://doi.org/10.1590/s0004-28032013000100008',
    ]);
  });

  it('leaves the abstract out of a summary', () => {
    expect(text(card)).not.toContain('Alcoholic liver disease (ALD) is generally associated');
  });
});

describe('an article asked for (detail full)', () => {
  const card = render(reply([article('efetch_pubmed_23657305.xml', 'full')]));

  it('shows the labelled abstract sections and no Abstract button', () => {
    const all = text(card);
    for (const label of ['CONTEXT', 'OBJECTIVES', 'METHODS', 'RESULTS', 'CONCLUSION'])
      expect(runs(card).some((r) => r.text.trim() === label && r.weight === 'Bolder')).toBe(true);
    expect(all).toContain('Alcoholic liver disease (ALD) is generally associated with iron overload');
    expect(all).toContain(
      'ALD patients had significantly higher serum ferritin and transferrin saturation than controls (both P<0.05)',
    );
    expect(commands(card)).not.toContain('show 23657305');
  });
});

it('keeps PubMed italics in the title as an italic run (27797938, <i>TERT</i>)', () => {
  const card = render(reply([article('efetch_pubmed_structured_italic_title_27797938.xml')]));
  const italic = runs(card).filter((r) => r.italic);
  expect(italic.map((r) => r.text)).toEqual(['TERT']);
  expect(text(card)).toContain(
    'Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer.',
  );
  // CommentIn 27920200 (Gut. 2017) is shown quietly, linked.
  const comment = runs(card).find((r) => r.text === 'PMID 27920200');
  expect(comment?.selectAction?.url).toBe('https://pubmed.ncbi.nlm.nih.gov/27920200/');
});

describe('warnings', () => {
  it('flags an erratum in this record (35649368 ErratumIn 35767954) above the title', () => {
    const card = render(reply([article('efetch_pubmed_35649368.xml')]));
    const all = runs(card);
    const lead = all.findIndex((r) => r.text === '📝 Erratum');
    const title = all.findIndex((r) => r.text.startsWith('Fatty acid oxidation protects cancer cells'));
    expect(lead).toBeGreaterThanOrEqual(0);
    expect(lead).toBeLessThan(title);
    expect(all[lead]?.color).toBe('Warning');
    expect(all.find((r) => r.text === 'PMID 35767954')?.selectAction?.url).toBe(
      'https://pubmed.ncbi.nlm.nih.gov/35767954/',
    );
    expect(text(card)).not.toContain('RETRACTED');
  });

  const base = article('efetch_pubmed_23657305.xml');

  it('shows a retracted record as RETRACTED in the attention colour, with the notice linked', () => {
    const retracted: ArticleCard = {
      ...base,
      retracted: true,
      notices: [{ type: 'retraction', about: 'this', pmid: '30000001' }],
    };
    const r = renderReply(reply([retracted]));
    const card = r.attachments[0].content;
    const lead = runs(card)[0];
    expect(lead).toMatchObject({ text: '⚠️ RETRACTED', color: 'Attention', weight: 'Bolder' });
    expect(runs(card).find((x) => x.text === 'PMID 30000001')?.selectAction?.url).toBe(
      'https://pubmed.ncbi.nlm.nih.gov/30000001/',
    );
    expect(r.summary.startsWith('RETRACTED: ')).toBe(true);
  });

  it('never calls a retraction notice itself retracted (about: other)', () => {
    const notice: ArticleCard = {
      ...base,
      retracted: false,
      notices: [{ type: 'retraction', about: 'other', pmid: '20000002' }],
    };
    const card = render(reply([notice]));
    expect(text(card)).not.toContain('RETRACTED');
    expect(text(card)).toContain('📄 Retraction notice — this record retracts PMID 20000002.');
  });

  it('shows an expression of concern', () => {
    const concern: ArticleCard = {
      ...base,
      notices: [{ type: 'expression-of-concern', about: 'this', source: 'J Foo. 2020;1:2' }],
    };
    expect(text(render(reply([concern])))).toContain(
      '⚠️ Expression of concern — the journal has raised concerns about this article. Notice: J Foo. 2020;1:2.',
    );
  });
});

describe('record text never becomes Markdown', () => {
  const hostile: ArticleCard = {
    ...article('efetch_pubmed_23657305.xml'),
    title: '**Click** [here](https://evil.example) <at>everyone</at>',
    titleRich: [{ text: '**Click** [here](https://evil.example) <at>everyone</at>' }],
  };
  const card = render(reply([hostile]));

  it('keeps it in TextRuns, verbatim, and out of every TextBlock', () => {
    expect(text(card)).toContain('**Click** [here](https://evil.example) <at>everyone</at>');
    for (const e of elements(card)) if (e.type === 'TextBlock') expect(e.text).not.toContain('evil');
    expect(urls(card)).not.toContain('https://evil.example');
  });
});

describe('paging, sharing, personal chats', () => {
  const cards = articles('efetch_pubmed_2records_2013.xml').map((a) =>
    articleCard(a, { detail: 'summary', source: 'pubmed', stale: false }),
  );

  it('puts "Next 5" on the card with the cursor command', () => {
    const card = render(reply(cards, { more: 'more c2VhcmNo', total: 12 }));
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Next 5', data: { command: 'more c2VhcmNo' } },
    ]);
    expect(elements(card).some((e) => e.type === 'TextBlock' && e.text === '12 results')).toBe(true);
  });

  it('says who shared a card, as a real Teams mention', () => {
    const card = render(
      reply(cards.slice(0, 1), { visibility: 'channel', sharedBy: { id: '29:abc', name: 'Dr Ana Lima' } }),
    );
    const first = card.body[0];
    expect(first).toMatchObject({ type: 'TextBlock', text: '👥 Shared by <at>Dr Ana Lima</at>' });
    expect(card.msteams?.entities).toEqual([
      { type: 'mention', text: '<at>Dr Ana Lima</at>', mentioned: { id: '29:abc', name: 'Dr Ana Lima' } },
    ]);
  });

  it('drops Share where there is no channel to share to', () => {
    const card = render(reply(cards), { omit: new Set(['share']) });
    expect(commands(card).some((c) => c.startsWith('share '))).toBe(false);
    expect(commands(card).filter((c) => c.startsWith('similar ')).length).toBe(2);
  });

  it('shows the core notice', () => {
    const card = render(
      reply(cards, { notice: 'PubMed could not be reached; these come from the local library.' }),
    );
    expect(text(card)).toContain('ℹ️ PubMed could not be reached; these come from the local library.');
  });
});

describe('size', () => {
  it('keeps twenty full records with abstracts under the ceiling, shortening abstracts first', () => {
    const all = articles('efetch_pubmed_multi_93records_oncology_2019.xml')
      .filter((a) => a.abstract.length > 0)
      .slice(0, 20)
      .map((a) => articleCard(a, { detail: 'full', source: 'pubmed', stale: false }));
    expect(all).toHaveLength(20);
    const m = renderReply(reply(all));
    expect(messageSize(m)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    // Well under Teams' ~100 KB (UTF-16) even counted as UTF-8 bytes.
    expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(80 * 1024);
    expect(text(m.attachments[0].content)).toContain(all[0]?.title.slice(0, 40) ?? '!');
  });

  it('cuts one enormous abstract with an ellipsis instead of refusing the message', () => {
    const base = article('efetch_pubmed_23657305.xml', 'full');
    const huge: ArticleCard = {
      ...base,
      abstract: [{ text: 'x'.repeat(200_000), rich: [{ text: 'x'.repeat(200_000) }] }],
    };
    const m = renderReply(reply([huge]));
    expect(messageSize(m)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(text(m.attachments[0].content)).toMatch(/x+…/);
    expect(text(m.attachments[0].content)).toContain('Hfe mutations and iron overload');
  });
});

describe('other cards', () => {
  it('renders a terminated trial with its facts and registry link (NCT02576665), and a stop reason when given', () => {
    const json: unknown = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'clinicaltrials', 'v2_study_NCT02576665_fields.json'), 'utf8'),
    );
    const trial = parseStudy(json);
    const card = render(
      reply([trialCard(trial, { detail: 'full', source: 'clinicaltrials', stale: false })]),
    );
    const all = text(card);
    expect(all).toContain('NCT02576665 — ');
    expect(all).toContain(
      'A Study of Toca 511, a Retroviral Replicating Vector, Combined With Toca FC in Patients With Solid Tumors or Lymphoma',
    );
    expect(all).toContain('🔴 Terminated');
    // The recording has no whyStopped; a registry record that has one shows it first, in the warning colour.
    expect(all).not.toContain('Stopped:');
    const stopped = render(
      reply([
        trialCard(
          { ...trial, whyStopped: 'Sponsor decision' },
          { detail: 'full', source: 'clinicaltrials', stale: false },
        ),
      ]),
    );
    expect(runs(stopped)[0]).toMatchObject({ text: '⚠️ Stopped: ', color: 'Warning' });
    expect(text(stopped)).toContain('⚠️ Stopped: Sponsor decision');
    expect(urls(card)).toContain('https://clinicaltrials.gov/study/NCT02576665');
  });

  it('renders a citation line by line in monospace', () => {
    const card = render(
      reply([
        { type: 'citation', pmid: '23657305', format: 'bibtex', text: '@article{x,\n  title = {Hfe},\n}' },
      ]),
    );
    const mono = runs(card)
      .filter((r) => r.fontType === 'Monospace')
      .map((r) => r.text);
    expect(mono).toEqual(['@article{x,', 'title = {Hfe},', '}']);
    expect(text(card)).toContain('BibTeX citation for PMID 23657305');
  });

  it('renders help with every example line and an error with its hint', () => {
    const help = helpCard();
    const card = render(reply([help]));
    for (const line of help.sections.flatMap((s) => s.lines)) expect(text(card)).toContain(line);
    const error = render(
      reply([{ type: 'error', message: 'That is 5,000 characters.', hint: 'Shorten it.' }]),
    );
    expect(runs(error).find((r) => r.text === 'That is 5,000 characters.')?.color).toBe('Attention');
    expect(text(error)).toContain('Shorten it.');
  });
});
