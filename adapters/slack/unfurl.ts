// link_shared → chat.unfurl: a PubMed, PMC or doi.org link pasted in Slack becomes a compact reference card.
// The core resolves the link (`show <url>`); links it cannot resolve are left to Slack's own preview.

import type { App, webApi } from '@slack/bolt';
import type { Clock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';
import { renderReply } from './blocks';
import type { Conversation } from './conversation';
import { unattended } from './errors';
import type { KnownBlock } from './kit';

/** The Events API event this module answers (manifest.yml subscribes to it). */
export const UNFURL_EVENT = 'link_shared';

/** The domains manifest.yml registers for unfurls (a test keeps the two in step). */
export const UNFURL_DOMAINS = [
  'pubmed.ncbi.nlm.nih.gov',
  'doi.org',
  'pmc.ncbi.nlm.nih.gov',
  'www.ncbi.nlm.nih.gov',
];

/** Slack sends at most a handful of links per message; a wall of cards would bury the message. */
const MAX_UNFURLS = 5;

/** A link paperbot previews (exported for the large-input test of every parser of user text). */
export function wanted(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return UNFURL_DOMAINS.includes(host) || host === 'dx.doi.org';
  } catch {
    return false;
  }
}

interface LinkSharedEvent {
  channel: string;
  user: string;
  message_ts: string;
  unfurl_id?: string;
  source?: string;
  links: { domain: string; url: string }[];
}

export function registerUnfurls(
  app: App,
  conversation: Conversation,
  deps: { clock: Clock; logger: Logger },
): void {
  app.event(UNFURL_EVENT, async ({ event, client, context }) => {
    const e = event as LinkSharedEvent;
    const urls = [...new Set(e.links.map((l) => l.url))].filter(wanted).slice(0, MAX_UNFURLS);
    // A busy replica leaves the link as pasted rather than queue a preview nobody waits for.
    if (urls.length === 0 || !conversation.admit()) return;
    const cards = await Promise.all(
      urls.map(async (url): Promise<[string, { blocks: KnownBlock[] }] | undefined> => {
        const reply = await conversation.ask({
          text: `show ${url}`,
          user: { id: e.user },
          place: {
            platform: 'slack',
            channel: e.channel,
            ...(context.teamId ? { team: context.teamId } : {}),
          },
        });
        const card = reply.cards.find((c) => c.type === 'article');
        if (!card) return undefined;
        return [
          url,
          { blocks: renderReply({ cards: [card], visibility: 'private' }, { compact: true }).blocks },
        ];
      }),
    );
    const unfurls = Object.fromEntries(
      cards.filter((c): c is [string, { blocks: KnownBlock[] }] => c !== undefined),
    );
    if (Object.keys(unfurls).length === 0) return;
    await postUnfurls(client, e, unfurls, deps);
  });
}

async function postUnfurls(
  client: webApi.WebClient,
  e: LinkSharedEvent,
  unfurls: Record<string, { blocks: KnownBlock[] }>,
  deps: { clock: Clock; logger: Logger },
): Promise<void> {
  // Composer previews have no real message ts; unfurl_id + source address both kinds of link.
  const target =
    e.unfurl_id && e.source
      ? { unfurl_id: e.unfurl_id, source: e.source }
      : { channel: e.channel, ts: e.message_ts };
  // Nobody asked for the unfurl, so there is no one to tell: Slack's own preview stays.
  await unattended(
    () => client.chat.unfurl({ ...target, unfurls } as webApi.ChatUnfurlArguments),
    deps,
    'slack unfurl failed',
    { channel: e.channel },
  );
}
