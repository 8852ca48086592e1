// An evidence map as Adaptive Card elements: the chart as an image (a data: URI: Teams shows it without a
// public URL and does not count it against the message limit), then every count linked to its PubMed search.

import { CHART_PROBLEMS, countLink, type ChartProblem } from '../../src/core/present/evidence-map';
import type { MapCard, MapCount } from '../../src/core/reply';
import { fit, linkRun, rich, run, type CardElement, type TextRun } from './adaptive';
import { plainRuns } from './runs';

/** The chart as a PNG data: URI, or why there is none. */
export type TeamsChart = { dataUri: string } | { problem: ChartProblem };

const subtle = { isSubtle: true } as const;

function counted(c: MapCount): TextRun {
  return linkRun(c.countText, countLink(c), { weight: 'Bolder' });
}

export function mapElements(card: MapCard, chart?: TeamsChart): CardElement[] {
  const items: CardElement[] = [
    rich([run(fit(card.title, 300), { size: 'Medium', weight: 'Bolder' })]),
    rich([run(`${card.total.label}: `), counted(card.total)], { spacing: 'Small' }),
  ];
  if (chart && 'dataUri' in chart)
    items.push({ type: 'Image', url: chart.dataUri, altText: fit(card.chartAlt, 1000), size: 'Stretch' });
  else if (chart) items.push(rich([run('⚠️ '), ...plainRuns(CHART_PROBLEMS[chart.problem], 400, subtle)]));
  items.push(rich([run(card.levelsHeading, { weight: 'Bolder' })], { spacing: 'Medium' }));
  for (const level of card.levels)
    items.push(rich([run(`${level.label}: `), counted(level)], { spacing: 'None' }));
  items.push(rich([run(card.yearsHeading, { weight: 'Bolder' })], { spacing: 'Medium' }));
  const years: TextRun[] = [];
  card.years.forEach((y, i) => {
    if (i > 0) years.push(run(' · ', subtle));
    years.push(run(`${y.year} `), counted(y));
  });
  items.push(rich(years, { spacing: 'Small' }));
  for (const note of card.notes) items.push(rich(plainRuns(note, 400, subtle), { spacing: 'Small' }));
  return items;
}
