// An evidence map's chart for a Teams message: drawn as PNG and carried in the card as a data: URI, so no
// public image host is needed. A drawing failure leaves the counts, with a line saying the chart is missing.

import { chartPng } from '../../src/chart/png';
import type { Logger } from '../../src/core/logger';
import { mapChart } from '../../src/core/present/evidence-map';
import type { Reply } from '../../src/core/reply';
import type { TeamsChart } from './cards-map';

/** Teams shows card images up to 1024 × 1024 px; the chart is drawn smaller than that (src/chart/svg.ts). */
export async function teamsChart(reply: Reply, logger: Logger): Promise<TeamsChart | undefined> {
  const card = reply.cards.find((c) => c.type === 'map');
  if (card?.type !== 'map') return undefined;
  try {
    const image = await chartPng(mapChart(card));
    return { dataUri: `data:image/png;base64,${image.png.toString('base64')}` };
  } catch (error) {
    logger.warn({ err: error }, 'teams: the evidence map chart could not be drawn');
    return { problem: 'failed' };
  }
}
