// Block Kit for a digest post: a header naming the query, the date window and count, the entries (with
// their warnings, and their buttons when everything fits one message) and a link to the rest on PubMed.

import { displayWindow, type DigestCard } from '../../src/core/digest-cards';
import { digestCount } from '../../src/core/present/digest';
import { thousands } from '../../src/core/present/marks';
import type { Reply } from '../../src/core/reply';
import { renderReply, type SlackMessage } from './blocks';
import { fitMrkdwn, link } from './escape';
import { context, header, section, type KnownBlock } from './kit';
import { enforceLimits, LIMITS, messageTextLength } from './limits';

export function renderDigest(card: DigestCard, reply: Reply): SlackMessage {
  const head: KnownBlock[] = [
    header(`PubMed digest: “${card.query}”`),
    context([
      `${displayWindow(card.window)} · ${digestCount(card)}` +
        (card.subscriptionId === undefined ? '' : ` · digest #${fitMrkdwn(card.subscriptionId, 40)}`),
    ]),
  ];
  if (card.stale)
    head.push(
      context([':hourglass: Some entries come from a cached copy; retractions issued since may be missing.']),
    );
  const tail: KnownBlock[] = [];
  if (card.more)
    tail.push(
      section(
        `${link(card.more.url, `See all ${thousands(card.count)} on PubMed`)} (${thousands(card.more.count)} more)`,
      ),
    );
  else if (card.count > 0) tail.push(context([link(card.searchUrl, 'This search on PubMed')]));
  const room = LIMITS.blocksPerMessage - head.length - tail.length;
  // Entries keep their buttons (Abstract, Similar, Cite) when all of them fit; otherwise they render
  // compact, like unfurls, so that no entry is dropped.
  let entries = card.entries.length
    ? renderReply({ cards: card.entries, visibility: 'channel' }, { maxBlocks: 1000 }).blocks
    : [];
  if (entries.length > room || messageTextLength([...head, ...entries, ...tail]) > LIMITS.messageText)
    entries = renderReply(
      { cards: card.entries, visibility: 'channel' },
      { compact: true, maxBlocks: 1000 },
    ).blocks;
  const body = enforceLimits([...head, ...entries], {
    maxBlocks: LIMITS.blocksPerMessage - tail.length,
    maxText: LIMITS.messageText - messageTextLength(tail),
    note: context([':scissors: Shortened to fit in a Slack message.']),
  });
  return {
    text: fitMrkdwn(reply.notice ?? `PubMed digest: ${card.query}`, LIMITS.fallbackText),
    blocks: [...body, ...tail],
  };
}
