// Unit checks of the mrkdwn helpers where the end-to-end tests cannot reach every edge: URLs carrying
// DOIs with "<>|", cuts that must not leave half an entity or an open marker, italics at word boundaries.

import {
  escapeMrkdwn,
  fitMrkdwn,
  fitRich,
  link,
  richToMrkdwn,
  safeUrl,
  userMention,
} from '../../../adapters/slack/escape';
import { cutMrkdwn } from '../../../adapters/slack/limits';
import { createTurnScheduler, SLICE_MS } from '../../../adapters/slack/turns';

describe('escape', () => {
  it('escapes entities and neutralises every mrkdwn control', () => {
    expect(escapeMrkdwn('a & b <c> *d* _e_ ~f~ `g`')).toBe(
      'a &amp; b &lt;c&gt; \u2217d\u2217 \uff3fe\uff3f \u223cf\u223c \u02cbg\u02cb',
    );
    expect(escapeMrkdwn('@here @channel @everyone @herewith')).toBe(
      '@\u2060here @\u2060channel @\u2060everyone @herewith',
    );
    expect(escapeMrkdwn('see https://x.org')).toBe('see https:\u2060//x.org');
    expect(escapeMrkdwn(':skull: ratio 1:2')).toBe(':\u2060skull: ratio 1:2');
    expect(escapeMrkdwn('> quoted\nline')).toBe('\u2060&gt; quoted line');
  });

  it('keeps italics only where Slack would honour them', () => {
    expect(
      richToMrkdwn([{ text: 'Role of ' }, { text: 'TP53', style: ['italic'] }, { text: ' in cancer' }]),
    ).toBe('Role of _TP53_ in cancer');
    expect(richToMrkdwn([{ text: 'anti' }, { text: 'PD', style: ['italic'] }, { text: '-1' }])).toBe(
      'antiPD-1',
    );
    expect(
      richToMrkdwn([{ text: 'x ' }, { text: ' spaced ', style: ['italic', 'bold'] }, { text: 'y' }]),
    ).toBe('x  *_spaced_* y');
    expect(richToMrkdwn([{ text: 'CO' }, { text: '2', style: ['sub'] }])).toBe('CO₂');
    expect(richToMrkdwn([{ text: 'MIC' }, { text: '50', style: ['sub'] }])).toBe('MIC₅₀');
    expect(richToMrkdwn([{ text: 'IL-1' }, { text: 'β', style: ['sub'] }])).toBe('IL-1β'); // no subscript β
  });

  it('escapes runs without italics or bold as one text, so a mention split across spans stays inert', () => {
    // "!" has no superscript form, so the span stays plain text and the split mention is what is tested.
    expect(richToMrkdwn([{ text: '@' }, { text: 'here!', style: ['sup'] }])).toBe('@\u2060here!');
    expect(richToMrkdwn([{ text: '<!chan' }, { text: 'nel>', style: ['sub'] }])).toBe('&lt;!channel&gt;');
    expect(richToMrkdwn([{ text: 'see https:' }, { text: '//x.org' }])).toBe('see https:\u2060//x.org');
  });

  it('fits plain text by its escaped length, not its raw length', () => {
    expect(fitMrkdwn('a <b> c', 20)).toBe('a &lt;b&gt; c');
    const out = fitMrkdwn('&'.repeat(10), 30);
    expect(out.length).toBeLessThanOrEqual(30);
    // Five of the ten fit with the ellipsis; cutting by the overshoot instead left only "…".
    expect(out).toBe(`${'&amp;'.repeat(5)}…`);
  });

  it('fits rich text within a limit counted after escaping', () => {
    const out = fitRich([{ text: '&'.repeat(100) }], 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toMatch(/&(?!amp;)/);
  });

  it('makes DOI URLs safe inside <url|label>', () => {
    const doi = 'https://doi.org/10.1002/(SICI)1097-0258(19980315)17:5<489::AID-SIM756>3.0.CO;2-#';
    expect(safeUrl(doi)).toBe(
      'https://doi.org/10.1002/(SICI)1097-0258(19980315)17:5%3C489::AID-SIM756%3E3.0.CO;2-#',
    );
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://x.org/a?b=1&c=2')).toBe('https://x.org/a?b=1&amp;c=2');
    expect(link('https://x.org/|evil', 'a|b')).toBe('<https://x.org/%7Cevil|a\u2223b>');
    expect(link(undefined, 'label')).toBe('label');
  });

  it('only trusts user ids that look like Slack ids', () => {
    expect(userMention('U00FAKEUSER1')).toBe('<@U00FAKEUSER1>');
    expect(userMention('!channel')).toBeUndefined();
    expect(userMention('U1> <!here')).toBeUndefined();
  });

  it('cuts mrkdwn without half entities, dangling links or open markers', () => {
    expect(cutMrkdwn('abc &amp; def', 7)).toBe('abc…');
    expect(cutMrkdwn('see <https://pubmed.ncbi.nlm.nih.gov/1/|PMID 1> now', 20)).toBe('see…');
    expect(cutMrkdwn('a *bold words here*', 12)).toBe('a…');
    expect(cutMrkdwn('short', 10)).toBe('short');
  });
});

describe('turn scheduler', () => {
  it('starts jobs in order, in slices of SLICE_MS, letting other callbacks run between slices', async () => {
    // Each job "takes" 1 ms of the slice: two fit in one slice, then queued I/O runs before the third.
    let t = 0;
    const turns = createTurnScheduler(() => t);
    const order: string[] = [];
    const jobs = [1, 2, 3].map((n) =>
      turns.run(async () => {
        t += SLICE_MS / 2;
        order.push(`job ${n}`);
        // Something queued while a job runs (like a new request's callback) must not wait for later slices.
        setImmediate(() => order.push(`io after ${n}`));
        return n;
      }),
    );
    expect(turns.waiting).toBe(3);
    expect(await Promise.all(jobs)).toEqual([1, 2, 3]);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['job 1', 'job 2', 'io after 1', 'io after 2', 'job 3', 'io after 3']);
  });

  it('passes a job failure to its caller only', async () => {
    const turns = createTurnScheduler();
    const failing = turns.run(async () => {
      throw new Error('boom');
    });
    const fine = turns.run(async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(fine).resolves.toBe('ok');
  });
});
