// The messaging extension over HTTP: composeExtension/query (command "paper"), queryLink unfurls and
// selectItem, answered in the invoke response body as Teams reads it ({composeExtension: {...}}).

import type { AdaptiveCard } from '../../../adapters/teams/adaptive';
import { fixture, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.connector.reset();
  h.eutils.reset();
});

/** The recorded 2017 search invoke (BOM in the file), with our command and parameters. */
const INVOKE = fixture('botbuilder_teams_SampleActivityComposeExtension.json');

interface Attachment {
  contentType: string;
  content: AdaptiveCard;
  preview: { contentType: string; content: { title: string; subtitle?: string; text?: string } };
}
interface Body {
  composeExtension: { type: string; attachmentLayout?: string; attachments?: Attachment[]; text?: string };
}

async function invoke(name: string, value: unknown): Promise<{ status: number; body: Body }> {
  const r = await h.post({ ...INVOKE, name, value });
  return { status: r.status, body: (r.text ? r.json() : {}) as Body };
}

const query = (text: string, extra: Record<string, unknown> = {}) =>
  invoke('composeExtension/query', {
    commandId: 'paper',
    parameters: [{ name: 'query', value: text }],
    queryOptions: { skip: 0, count: 25 },
    ...extra,
  });

describe('search (composeExtension/query)', () => {
  it('returns one result per paper: the card to insert and a thumbnail preview', async () => {
    h.eutils.setSearch('iron overload', ['23657305', '35649368']);
    const { status, body } = await query('iron overload');
    expect(status).toBe(200);
    expect(body.composeExtension.type).toBe('result');
    expect(body.composeExtension.attachmentLayout).toBe('list');
    const [first, second] = body.composeExtension.attachments ?? [];
    expect(first?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(first?.preview.contentType).toBe('application/vnd.microsoft.card.thumbnail');
    expect(first?.preview.content.title).toBe(
      'Hfe mutations and iron overload in patients with alcoholic liver disease.',
    );
    expect(first?.preview.content.subtitle).toBe(
      'Costa-Matos L, Batista P, Monteiro N et al. · Arq Gastroenterol · 2013',
    );
    expect(first?.preview.content.text).toBe('PMID 23657305');
    expect(second?.preview.content.title).toBe(
      'Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids.',
    );
    // The inserted card: warnings and links, but no command buttons (the bot may not be in that chat).
    const card = JSON.stringify(second?.content);
    expect(card).toContain('📝 Erratum');
    expect(card).toContain('https://doi.org/10.1016/j.celrep.2022.110870');
    expect(card).not.toContain('Action.Submit');
    expect(h.connector.requests).toHaveLength(0);
  });

  it('names the evidence badge in the preview as every card does (the core card model)', async () => {
    h.eutils.setSearch('mek inhibition', ['22663011']);
    const { body } = await query('mek inhibition');
    expect(body.composeExtension.attachments?.[0]?.preview.content.text).toBe(
      'PMID 22663011 · Randomized controlled trial',
    );
  });

  it('answers the recorded invoke for a command it does not have with an empty list', async () => {
    const r = await h.postFixture('botbuilder_teams_SampleActivityComposeExtension.json');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
    });
    expect(h.eutils.requests).toHaveLength(0);
  });

  it('returns nothing for the initial run, an empty query, or a second page', async () => {
    for (const value of [
      { commandId: 'paper', parameters: [{ name: 'initialRun', value: 'true' }] },
      { commandId: 'paper', parameters: [{ name: 'query', value: '   ' }] },
      {
        commandId: 'paper',
        parameters: [{ name: 'query', value: 'x' }],
        queryOptions: { skip: 25, count: 25 },
      },
    ]) {
      const { status, body } = await invoke('composeExtension/query', value);
      expect(status).toBe(200);
      expect(body.composeExtension.attachments).toEqual([]);
    }
    expect(h.eutils.requests).toHaveLength(0);
  });

  it("shows the core's words when the query is not usable", async () => {
    const { body } = await query('type:banana');
    expect(body.composeExtension.type).toBe('message');
    expect(body.composeExtension.text).toContain('"banana" is not a publication type I know.');
  });
});

describe('link unfurling (composeExtension/queryLink)', () => {
  it.each([
    [
      'https://pubmed.ncbi.nlm.nih.gov/23657305/',
      'Hfe mutations and iron overload in patients with alcoholic liver disease.',
    ],
    [
      'https://doi.org/10.1016/j.celrep.2022.110870',
      'Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids.',
    ],
    [
      'https://pmc.ncbi.nlm.nih.gov/articles/PMC8561171/',
      'Public Health Responses to Pandemics in 1918 and 2020.',
    ],
  ])('unfurls %s', async (url, title) => {
    h.eutils.setSearch(/10\.1016\/j\.celrep\.2022\.110870/, ['35649368']);
    h.eutils.setSearch(/PMC8561171/, ['34529508']);
    const { status, body } = await invoke('composeExtension/queryLink', { url });
    expect(status).toBe(200);
    expect(body.composeExtension.type).toBe('result');
    const attachments = body.composeExtension.attachments ?? [];
    expect(attachments).toHaveLength(1);
    expect(attachments[0]?.preview.content.title).toBe(title);
    expect(JSON.stringify(attachments[0]?.content)).toContain(title);
  });

  it('unfurls nothing for a link that names no record it can find', async () => {
    const { status, body } = await invoke('composeExtension/queryLink', {
      url: 'https://pubmed.ncbi.nlm.nih.gov/99999999/',
    });
    expect(status).toBe(200);
    expect(body.composeExtension.attachments).toEqual([]);
  });

  it('refuses a queryLink without a URL with 400', async () => {
    const { status } = await invoke('composeExtension/queryLink', { link: 'nope' });
    expect(status).toBe(400);
  });
});

it('answers composeExtension/selectItem carrying a command with that card', async () => {
  const { status, body } = await invoke('composeExtension/selectItem', { command: 'show 23657305' });
  expect(status).toBe(200);
  expect(body.composeExtension.attachments?.[0]?.preview.content.title).toBe(
    'Hfe mutations and iron overload in patients with alcoholic liver disease.',
  );
});
