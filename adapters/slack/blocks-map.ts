// Block Kit for an evidence map: the chart (an uploaded Slack file) above the counts, each count linked to
// the PubMed search that produced it. Numbers, labels, notes and links are the card model's.

import { CHART_PROBLEMS, countLink, type ChartProblem } from '../../src/core/present/evidence-map';
import type { MapCard, MapCount } from '../../src/core/reply';
import { escapeMrkdwn, fitMrkdwn, link } from './escape';
import { context, section, type KnownBlock } from './kit';
import { LIMITS } from './limits';

/** The chart as a file paperbot uploaded (files.uploadV2), or why there is none. */
export type SlackChart = { fileId: string } | { problem: ChartProblem };

function counted(c: MapCount): string {
  return link(countLink(c), `*${escapeMrkdwn(c.countText)}*`);
}

/** Lines packed into as few sections as Slack's section limit allows. */
function sections(lines: string[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > LIMITS.sectionText - 10 && text) {
      out.push(section(text));
      text = line;
    } else text = next;
  }
  if (text) out.push(section(text));
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function mapBlocks(card: MapCard, chart?: SlackChart): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(`*${fitMrkdwn(card.title, 300)}*\n${escapeMrkdwn(card.total.label)}: ${counted(card.total)}`),
  ];
  if (chart && 'fileId' in chart)
    blocks.push({
      type: 'image',
      slack_file: { id: chart.fileId },
      alt_text: card.chartAlt.slice(0, 2000),
    });
  else if (chart) blocks.push(context([`:warning: ${escapeMrkdwn(CHART_PROBLEMS[chart.problem])}`]));
  blocks.push(
    ...sections([
      `*${escapeMrkdwn(card.levelsHeading)}*`,
      ...card.levels.map((l) => `• ${escapeMrkdwn(l.label)}: ${counted(l)}`),
    ]),
  );
  blocks.push(
    ...sections([
      `*${escapeMrkdwn(card.yearsHeading)}*`,
      // Five years a line: a long query's links then fill several sections instead of being cut.
      ...chunks(card.years, 5).map((row) => row.map((y) => `${y.year} ${counted(y)}`).join(' · ')),
    ]),
  );
  if (card.notes.length) blocks.push(context(card.notes.map((n) => escapeMrkdwn(n))));
  return blocks;
}
