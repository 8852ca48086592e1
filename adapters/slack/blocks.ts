// A core Reply as one Slack message (blocks + notification text) that always fits Block Kit's limits:
// cards are rendered generously first, then tighter, and a last guard trims whatever still does not fit.

import type { ArticleBudget } from '../../src/core/present/article';
import { headline, NEXT_PAGE_LABEL, pageLine } from '../../src/core/present/reply';
import type { Card, Reply } from '../../src/core/reply';
import { articleBlocks } from './blocks-article';
import { mapBlocks, type SlackChart } from './blocks-map';
import { citationBlocks, errorBlocks, helpBlocks, trialBlocks } from './blocks-cards';
import { fitMrkdwn, userMention } from './escape';
import { actions, context, divider, section, type KnownBlock } from './kit';
import { blockTextLength, enforceLimits, LIMITS, messageTextLength } from './limits';

export interface SlackMessage {
  /** Notification and accessibility fallback (mrkdwn, escaped like the blocks). */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Short id placed in block ids so a button press can be traced back to its message and card. */
  messageKey?: string;
  /** Link unfurls: compact cards without buttons or abstracts. */
  compact?: boolean;
  /** Messages take 50 blocks, Home tabs 100. */
  maxBlocks?: number;
  /** An evidence map's chart, uploaded before the message is rendered (or why it could not be). */
  chart?: SlackChart;
}

interface Level {
  article: ArticleBudget;
  trialSummary: number;
}

/** From generous to spare; the first level whose message fits is sent. */
const LEVELS: Level[] = [
  { article: { title: 600, authors: 6, abstract: 9000, section: 3000, mesh: 8 }, trialSummary: 2000 },
  { article: { title: 400, authors: 4, abstract: 4500, section: 1500, mesh: 5 }, trialSummary: 1000 },
  { article: { title: 250, authors: 3, abstract: 1800, section: 700, mesh: 0 }, trialSummary: 400 },
  { article: { title: 160, authors: 2, abstract: 0, section: 0, mesh: 0 }, trialSummary: 0 },
];

const SHORTENED_NOTE = context([':scissors: Shortened to fit in a Slack message.']);

/** "<key>.<card index>.a": the block id of a card's buttons, so the app knows which card was pressed. */
export function actionsBlockId(messageKey: string | undefined, index: number): string {
  return `${messageKey ?? 'm'}.${index}.a`;
}

export function parseActionsBlockId(
  blockId: string | undefined,
): { messageKey: string; index: number } | undefined {
  const m = /^([A-Za-z0-9_-]{1,64})\.(\d{1,3})\.a$/.exec(blockId ?? '');
  return m?.[1] && m[2] ? { messageKey: m[1], index: Number(m[2]) } : undefined;
}

function cardBlocks(card: Card, index: number, level: Level, o: RenderOptions): KnownBlock[] {
  const blockId = actionsBlockId(o.messageKey, index);
  switch (card.type) {
    case 'article':
      return articleBlocks(card, {
        budget: level.article,
        actionsBlockId: blockId,
        ...(o.compact ? { compact: true } : {}),
      });
    case 'trial':
      return trialBlocks(card, blockId, level.trialSummary);
    case 'citation':
      return citationBlocks(card);
    case 'help':
      return helpBlocks(card, blockId);
    case 'error':
      return errorBlocks(card);
    case 'map':
      return mapBlocks(card, o.chart);
  }
}

function headBlocks(reply: Reply): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const sharer = userMention(reply.sharedBy?.id);
  if (reply.visibility === 'channel' && sharer)
    blocks.push(context([`:busts_in_silhouette: Shared by ${sharer}`]));
  if (reply.notice) {
    const lines = reply.notice
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => fitMrkdwn(l, 1000));
    if (lines.length) blocks.push(section(`:information_source: ${lines.join('\n')}`));
  }
  const count = reply.total !== 0 ? pageLine(reply) : undefined;
  if (count) blocks.push(context([count]));
  return blocks;
}

function tailBlocks(reply: Reply, o: RenderOptions): KnownBlock[] {
  if (!reply.more || o.compact) return [];
  const more = actions(
    [{ id: 'more', label: NEXT_PAGE_LABEL, command: reply.more }],
    `${o.messageKey ?? 'm'}.more`,
  );
  return more ? [more] : [];
}

function bodyBlocks(reply: Reply, level: Level, o: RenderOptions): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  reply.cards.forEach((card, i) => {
    if (i > 0) blocks.push(divider());
    blocks.push(...cardBlocks(card, i, level, o));
  });
  return blocks;
}

/** The notification text: what a phone shows before the message is opened. */
export function fallbackText(reply: Reply): string {
  const first = reply.cards[0];
  const sharer = userMention(reply.sharedBy?.id);
  const text = first ? headline(first) : (reply.notice ?? 'paperbot');
  const body = fitMrkdwn(text, LIMITS.fallbackText);
  return reply.visibility === 'channel' && sharer ? `${body} (shared by ${sharer})` : body;
}

export function renderReply(reply: Reply, o: RenderOptions = {}): SlackMessage {
  const maxBlocks = o.maxBlocks ?? LIMITS.blocksPerMessage;
  const head = headBlocks(reply);
  const tail = tailBlocks(reply, o);
  const tailText = tail.reduce((n, b) => n + blockTextLength(b), 0);
  let blocks: KnownBlock[] = [];
  for (const level of LEVELS) {
    blocks = [...head, ...bodyBlocks(reply, level, o)];
    if (
      blocks.length + tail.length <= maxBlocks &&
      messageTextLength(blocks) + tailText <= LIMITS.messageText
    )
      break;
  }
  if (blocks.length === 0) blocks.push(context(['Nothing to show.']));
  const fitted = enforceLimits(blocks, {
    maxBlocks: maxBlocks - tail.length,
    maxText: LIMITS.messageText - tailText,
    note: SHORTENED_NOTE,
  });
  return { text: fallbackText(reply), blocks: [...fitted, ...tail] };
}
