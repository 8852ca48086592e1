// Terminal rendering of a Reply: bold titles, evidence badges, a red RETRACTED banner, wrapped text.
// Record text is stripped of control characters first: a PubMed title must never drive the terminal.

import type { Notice, RichText } from '../../src/core/article';
import { bylineParts } from '../../src/core/cards';
import type { ArticleCard, Card, Reply, TrialCard } from '../../src/core/reply';

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
      let s = clean(span.text);
      if (span.style?.includes('sup')) s = `^${s}`;
      if (span.style?.includes('sub')) s = `_${s}`;
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

const BADGES: Record<ArticleCard['evidence'], string> = {
  guideline: 'GUIDELINE',
  'meta-analysis': 'META-ANALYSIS',
  'systematic-review': 'SYSTEMATIC REVIEW',
  rct: 'RCT',
  'clinical-trial': 'CLINICAL TRIAL',
  review: 'REVIEW',
  'case-report': 'CASE REPORT',
  editorial: 'EDITORIAL',
  letter: 'LETTER',
  comment: 'COMMENT',
  other: '',
};

function noticeLine(notice: Notice, p: Palette): string | undefined {
  const ref = notice.pmid ? `PMID ${notice.pmid}` : notice.source ? clean(notice.source) : 'see PubMed';
  if (notice.about === 'this') {
    if (notice.type === 'retraction') return p.banner(`RETRACTED — retraction notice: ${ref}`);
    if (notice.type === 'expression-of-concern') return p.yellow(`⚠ Expression of concern: ${ref}`);
    if (notice.type === 'erratum') return p.yellow(`⚠ Erratum published: ${ref}`);
    if (notice.type === 'update') return p.yellow(`Updated version: ${ref}`);
    return undefined;
  }
  if (notice.type === 'retraction') return p.yellow(`This is a retraction notice for ${ref}`);
  if (notice.type === 'erratum') return p.dim(`This is an erratum for ${ref}`);
  if (notice.type === 'expression-of-concern') return p.dim(`This is an expression of concern about ${ref}`);
  return undefined;
}

function article(card: ArticleCard, n: number, o: RenderOptions, p: Palette): string {
  const out: string[] = [];
  const indent = '    ';
  if (card.retracted && !card.notices.some((x) => x.type === 'retraction' && x.about === 'this'))
    out.push(indent + p.banner('RETRACTED'));
  for (const notice of card.notices) {
    const line = noticeLine(notice, p);
    if (line) out.push(indent + line);
  }
  out.unshift(
    wrap(p.bold(rich(card.titleRich, p)), o.width, indent).replace(/^ {4}/, `${String(n).padStart(2)}. `),
  );
  // AMA's rule for the terminal, where there is room: up to six authors, else three and "et al.".
  const meta = bylineParts(card, card.authors.length <= 6 ? 6 : 3, (text) => clean(text)).join(' · ');
  if (meta) out.push(wrap(meta, o.width, indent));
  const badge = BADGES[card.evidence];
  const ids = [`PMID ${card.pmid}`, card.doi && `doi:${clean(card.doi)}`, card.pmcid]
    .filter(Boolean)
    .join(' · ');
  out.push(
    indent +
      [
        badge && p.cyan(`[${badge}]`),
        ids,
        card.source === 'library' ? p.dim('(local library)') : '',
        card.stale ? p.dim('(cached copy)') : '',
      ]
        .filter(Boolean)
        .join('  '),
  );
  if (card.links.pubmed) out.push(indent + p.dim(card.links.pubmed));
  if (card.trials.length) out.push(indent + `Trials: ${card.trials.join(', ')}`);
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

const STATUS_COLOR: Record<string, keyof Palette> = {
  RECRUITING: 'green',
  NOT_YET_RECRUITING: 'green',
  ENROLLING_BY_INVITATION: 'green',
  ACTIVE_NOT_RECRUITING: 'yellow',
  COMPLETED: 'cyan',
  TERMINATED: 'red',
  WITHDRAWN: 'red',
  SUSPENDED: 'red',
};

function trial(card: TrialCard, n: number, o: RenderOptions, p: Palette): string {
  const t = card.trial;
  const indent = '    ';
  const title = `${t.acronym ? `${clean(t.acronym)}: ` : ''}${clean(t.briefTitle)}`;
  const out = [wrap(p.bold(title), o.width, indent).replace(/^ {4}/, `${String(n).padStart(2)}. `)];
  const status = t.status
    ? p[STATUS_COLOR[t.status] ?? 'dim'](`● ${t.status.replace(/_/g, ' ').toLowerCase()}`)
    : '';
  const phases = t.phases
    .filter((x) => x !== 'NA')
    .map((x) => x.replace('EARLY_PHASE1', 'early phase 1').replace('PHASE', 'phase '))
    .join('/');
  const enrolled = t.enrollment
    ? `${t.enrollment.count.toLocaleString('en-US')} ${t.enrollment.type === 'ESTIMATED' ? 'planned' : 'enrolled'}`
    : '';
  out.push(
    indent + [status, phases, enrolled, t.leadSponsor && clean(t.leadSponsor)].filter(Boolean).join(' · '),
  );
  out.push(indent + [t.nct, card.links.clinicalTrials].join(' · '));
  if (t.whyStopped) out.push(wrap(p.red(`Stopped: ${clean(t.whyStopped)}`), o.width, indent));
  const dates = [
    t.startDate && `start ${t.startDate.date}`,
    t.primaryCompletionDate &&
      `primary completion ${t.primaryCompletionDate.date}${t.primaryCompletionDate.type === 'ESTIMATED' ? ' (est.)' : ''}`,
  ].filter(Boolean);
  if (dates.length) out.push(indent + dates.join(' · '));
  const primary = t.primaryOutcomes[0];
  if (primary)
    out.push(
      wrap(
        `Primary outcome: ${clean(primary.measure)}${primary.timeFrame ? ` (${clean(primary.timeFrame)})` : ''}`,
        o.width,
        indent,
      ),
    );
  if (card.publications.length)
    out.push(
      indent +
        `Publications: ${card.publications
          .slice(0, 5)
          .map((x) => `PMID ${x.pmid}${x.type === 'RESULT' ? ' (results)' : ''}`)
          .join(', ')}`,
    );
  if (card.detail === 'full' && t.briefSummary) out.push('', wrap(clean(t.briefSummary), o.width, indent));
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
      ].join('\n');
    case 'error':
      return [p.red(c.message), c.hint ? p.dim(c.hint) : ''].filter(Boolean).join('\n');
  }
}

export function renderReply(reply: Reply, o: RenderOptions): string {
  const p = palette(o.color);
  const out: string[] = [];
  if (reply.notice)
    out.push(...reply.notice.split('\n').map((line) => p.yellow(wrap(clean(line), o.width, ''))), '');
  let n = 0;
  for (const c of reply.cards) {
    if (c.type === 'article' || c.type === 'trial') n += 1;
    out.push(card(c, n, o, p), '');
  }
  if (reply.more) out.push(p.dim(`More results: paperbot ${reply.more}`));
  return out.join('\n').trimEnd() + '\n';
}
