// Terminal rendering of a Reply: bold titles, evidence badges, a red RETRACTED banner, wrapped text.
// Record text is stripped of control characters first: a PubMed title must never drive the terminal.

import type { RichText } from '../../src/core/article';
import { bylineParts, provenance, trialRefs } from '../../src/core/present/article';
import { evidenceBadge } from '../../src/core/present/badges';
import type { Ink, Tone } from '../../src/core/present/marks';
import {
  cardMentions,
  cardWarnings,
  moreText,
  warningText,
  type NoticeRef,
} from '../../src/core/present/notices';
import { signalParts } from '../../src/core/present/signals';
import { designLabel } from '../../src/core/present/trial-protocol';
import { dateLabel, trialView } from '../../src/core/present/trials';
import { pageLine } from '../../src/core/present/reply';
import type { ArticleCard, Card, Reply, TrialCard } from '../../src/core/reply';
import { scriptText } from '../../src/core/richtext';
import { mapLines } from './map';

export interface RenderOptions {
  color: boolean;
  width: number;
}

type Paint = (s: string) => string;
interface Palette {
  bold: Paint;
  dim: Paint;
  italic: Paint;
  red: Paint;
  yellow: Paint;
  green: Paint;
  cyan: Paint;
  banner: Paint;
}

function palette(color: boolean): Palette {
  const sgr = (open: number, close: number): Paint =>
    color ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s;
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    italic: sgr(3, 23),
    red: sgr(31, 39),
    yellow: sgr(33, 39),
    green: sgr(32, 39),
    cyan: sgr(36, 39),
    banner: color ? (s) => `\x1b[1;97;41m ${s} \x1b[0m` : (s) => `!! ${s} !!`,
  };
}

/** Removes C0/C1 control characters (ESC included) so record text cannot inject terminal sequences. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function rich(text: RichText, p: Palette): string {
  return text
    .map((span) => {
      let s = clean(scriptText(span));
      if (span.style?.includes('italic')) s = p.italic(s);
      if (span.style?.includes('bold')) s = p.bold(s);
      return s;
    })
    .join('');
}

/** Word-wraps plain or painted text; ANSI sequences do not count toward the width. */
export function wrap(text: string, width: number, indent: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour sequences are exactly what must not count
  const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && visible(line) + 1 + visible(word) > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** The terminal wraps instead of cutting: record text is only cleaned; emoji are characters. */
const CLI_INK: Ink = { fit: (text) => clean(text), mark: (e) => e.char };

/** The terminal's colour for each tone of the card model. */
const TONE_PAINT: Record<Tone, keyof Palette> = {
  danger: 'red',
  caution: 'yellow',
  good: 'green',
  active: 'yellow',
  done: 'cyan',
  plain: 'bold',
  quiet: 'dim',
};

const noticeRef = (r: NoticeRef): string => ('url' in r ? `PMID ${r.pmid}` : clean(r.citation));

function noticeLines(card: ArticleCard, p: Palette): string[] {
  const lines = cardWarnings(card).map((w) => {
    const text = `${w.wording.emoji.char} ${warningText(w, noticeRef)}`;
    return w.wording.tone === 'danger' ? p.banner(text) : p[TONE_PAINT[w.wording.tone]](text);
  });
  const mentions = cardMentions(card).map(
    (m) => `${m.wording.label} ${m.refs.map(noticeRef).join(', ')}${moreText(m)}`,
  );
  if (mentions.length) lines.push(p.dim(mentions.join(' · ')));
  return lines;
}

function article(card: ArticleCard, n: number, o: RenderOptions, p: Palette): string {
  const out: string[] = [];
  const indent = '    ';
  for (const line of noticeLines(card, p)) out.push(indent + line);
  out.unshift(
    wrap(p.bold(rich(card.titleRich, p)), o.width, indent).replace(/^ {4}/, `${String(n).padStart(2)}. `),
  );
  // AMA's rule for the terminal, where there is room: up to six authors, else three and "et al.".
  const meta = bylineParts(card, card.authors.length <= 6 ? 6 : 3, CLI_INK.fit).join(' · ');
  if (meta) out.push(wrap(meta, o.width, indent));
  const badge = evidenceBadge(card);
  const ids = [`PMID ${card.pmid}`, card.doi && `doi:${clean(card.doi)}`, card.pmcid]
    .filter(Boolean)
    .join(' · ');
  out.push(
    indent +
      [
        badge && p.cyan(`[${badge.short.toUpperCase()}]`),
        ids,
        ...provenance(card).map((m) => p.dim(`(${m.label})`)),
      ]
        .filter(Boolean)
        .join('  '),
  );
  if (card.links.pubmed) out.push(indent + p.dim(card.links.pubmed));
  const signals = signalParts(card);
  if (signals.length) out.push(wrap(signals.map((s) => clean(s.text)).join(' · '), o.width, indent));
  const trials = trialRefs(card);
  if (trials.ids.length)
    out.push(
      indent +
        `Trials: ${trials.ids.map((t) => t.nct).join(', ')}${trials.more > 0 ? ` +${trials.more}` : ''}`,
    );
  if (card.detail === 'full') {
    for (const section of card.abstract) {
      const label = section.label ? p.bold(`${clean(section.label)}: `) : '';
      out.push('', wrap(label + rich(section.rich, p), o.width, indent));
    }
    if (card.abstract.length === 0) out.push('', indent + p.dim('No abstract in PubMed.'));
    if (card.mesh.length)
      out.push('', wrap(p.dim(`MeSH: ${card.mesh.map(clean).join('; ')}`), o.width, indent));
  }
  return out.join('\n');
}

function trial(card: TrialCard, n: number, o: RenderOptions, p: Palette): string {
  const t = card.trial;
  const indent = '    ';
  const title = `${t.acronym ? `${clean(t.acronym)}: ` : ''}${clean(t.briefTitle)}`;
  const out = [wrap(p.bold(title), o.width, indent).replace(/^ {4}/, `${String(n).padStart(2)}. `)];
  const view = trialView(card, CLI_INK, (s) => p[TONE_PAINT[s.tone]](`● ${s.label}`));
  out.push(indent + view.facts.join(' · '));
  const design = designLabel(t, CLI_INK.fit);
  if (design) out.push(indent + design);
  out.push(indent + [t.nct, card.links.clinicalTrials].join(' · '));
  if (view.stopped) out.push(wrap(p.red(`Stopped: ${view.stopped}`), o.width, indent));
  const start = dateLabel(t.startDate, CLI_INK.fit);
  const completion = dateLabel(t.primaryCompletionDate, CLI_INK.fit);
  const dates = [start && `start ${start}`, completion && `primary completion ${completion}`].filter(Boolean);
  if (dates.length) out.push(indent + dates.join(' · '));
  for (const line of view.nearby) out.push(wrap(line, o.width, indent));
  const primary = t.primaryOutcomes[0];
  if (view.criteria) {
    const c = view.criteria;
    out.push(indent + `${c.heading}:`, ...c.lines.map((l) => wrap(clean(l), o.width, indent)));
    out.push(wrap(p.dim(`${c.note} ${c.link.label}: ${c.link.url}`), o.width, indent));
  } else if (card.detail === 'full')
    for (const list of view.lists)
      out.push(indent + `${list.heading}:`, ...list.items.map((i) => wrap(`• ${i}`, o.width, indent)));
  else if (primary)
    out.push(
      wrap(
        `Primary outcome: ${clean(primary.measure)}${primary.timeFrame ? ` (${clean(primary.timeFrame)})` : ''}`,
        o.width,
        indent,
      ),
    );
  if (view.results) out.push(indent + `${view.results.label}: ${view.results.url}`);
  const pubs = view.publications.slice(0, 5);
  if (pubs.length)
    out.push(
      indent + `Publications: ${pubs.map((x) => `PMID ${x.pmid}${x.tag ? ` ${x.tag}` : ''}`).join(', ')}`,
    );
  if (pubs.length && view.publicationsNote) out.push(wrap(p.dim(view.publicationsNote), o.width, indent));
  if (card.detail === 'full' && !view.criteria && t.briefSummary)
    out.push('', wrap(clean(t.briefSummary), o.width, indent));
  return out.join('\n');
}

function card(c: Card, n: number, o: RenderOptions, p: Palette): string {
  switch (c.type) {
    case 'article':
      return article(c, n, o, p);
    case 'trial':
      return trial(c, n, o, p);
    case 'citation':
      return clean(c.text);
    case 'help':
      return [
        p.bold(c.title),
        ...c.sections.flatMap((s) => ['', p.bold(s.heading), ...s.lines.map((l) => `  ${l}`)]),
        ...(c.link ? ['', `${clean(c.link.label)}: ${clean(c.link.url)}`] : []),
        // A terminal has no buttons: each one shows as the command it would type.
        ...(c.actions?.length
          ? ['', ...c.actions.map((a) => p.dim(`${clean(a.label)}: ${clean(a.command)}`))]
          : []),
      ].join('\n');
    case 'error':
      return [p.red(c.message), c.hint ? p.dim(c.hint) : ''].filter(Boolean).join('\n');
    case 'map':
      return mapLines(c, { bold: p.bold, dim: p.dim, clean }).join('\n');
  }
}

export function renderReply(reply: Reply, o: RenderOptions): string {
  const p = palette(o.color);
  const out: string[] = [];
  if (reply.notice)
    out.push(...reply.notice.split('\n').map((line) => p.yellow(wrap(clean(line), o.width, ''))), '');
  const count = reply.total !== 0 ? pageLine(reply) : undefined;
  if (count) out.push(p.dim(count), '');
  // A later page continues the numbering of the one before it (`Reply.first`).
  let n = (reply.first ?? 1) - 1;
  for (const c of reply.cards) {
    if (c.type === 'article' || c.type === 'trial') n += 1;
    out.push(card(c, n, o, p), '');
  }
  if (reply.more) out.push(p.dim(`More results: paperbot ${reply.more}`));
  return out.join('\n').trimEnd() + '\n';
}
