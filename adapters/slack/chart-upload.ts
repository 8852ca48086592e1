// An evidence map's chart into Slack: drawn as PNG, uploaded with files.uploadV2 (getUploadURLExternal →
// upload → completeUploadExternal) without a channel, so the file stays the app's own and only the private
// answer that shows it (an image block naming the file) reveals it. Outcomes are SlackChart values.

import type { webApi } from '@slack/bolt';
import { chartPng } from '../../src/chart/png';
import type { Logger } from '../../src/core/logger';
import { mapChart } from '../../src/core/present/evidence-map';
import type { MapCard, Reply } from '../../src/core/reply';
import type { SlackChart } from './blocks-map';
import { slackErrorCode } from './errors';

/** Slack's answers that mean the app was installed without files:write. */
const NO_PERMISSION = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission']);

export function mapCardOf(reply: Reply): MapCard | undefined {
  const card = reply.cards.find((c) => c.type === 'map');
  return card?.type === 'map' ? card : undefined;
}

/** The file id of the uploaded chart, as files.uploadV2 reports each completion ({ files: [{ id }] }). */
function fileIdOf(result: unknown): string | undefined {
  const completions = (result as { files?: { files?: { id?: unknown }[] }[] }).files ?? [];
  const id = completions[0]?.files?.[0]?.id;
  return typeof id === 'string' && id ? id : undefined;
}

export async function uploadChart(
  client: webApi.WebClient,
  card: MapCard,
  logger: Logger,
): Promise<SlackChart> {
  try {
    const image = await chartPng(mapChart(card));
    const result = await client.filesUploadV2({
      file: image.png,
      filename: 'evidence-map.png',
      title: card.title.slice(0, 250),
      alt_text: card.chartAlt.slice(0, 1000),
    });
    const fileId = fileIdOf(result);
    if (fileId) return { fileId };
    logger.warn({}, 'slack: chart upload completed without a file id');
    return { problem: 'failed' };
  } catch (error) {
    const code = slackErrorCode(error);
    logger.warn({ err: error, slackError: code }, 'slack: chart upload failed');
    return { problem: code !== undefined && NO_PERMISSION.has(code) ? 'permission' : 'failed' };
  }
}
