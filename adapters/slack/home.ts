// The App Home tab: how to use paperbot, with the core's own help card as the list of examples.
// Published on app_home_opened; the help text itself comes from the core (`help`), not from here.

import type { App, types } from '@slack/bolt';
import type { Clock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';
import type { Reply } from '../../src/core/reply';
import { renderReply } from './blocks';
import type { Conversation } from './conversation';
import { unattended } from './errors';
import { SLASH_COMMAND } from './handlers';
import { context, divider, header, section } from './kit';
import { LIMITS } from './limits';

/** The Events API event this module answers (manifest.yml subscribes to it). */
export const HOME_EVENT = 'app_home_opened';

export function homeView(help: Reply): types.HomeView {
  const intro = [
    header('paperbot: PubMed and ClinicalTrials.gov in Slack'),
    section(
      `*Search PubMed from any channel or DM:* \`${SLASH_COMMAND} immunotherapy liver metastases\`\n` +
        'Answers are visible only to you until you press *Share to channel*.',
    ),
    section(
      `*Open a record:* \`${SLASH_COMMAND} 29658856\`, a DOI or a PMC id. Paste a PubMed, PMC or doi.org link in a channel ` +
        'and paperbot adds a reference card under it.',
    ),
    section(
      `*Share with your tumor board:* press *Share to channel* on a card, or \`${SLASH_COMMAND} share 29658856\`. ` +
        'In a private channel, invite paperbot first: `/invite @paperbot`.',
    ),
    context([
      ':warning: Retractions, errata and expressions of concern are flagged on every card. Always check the full record before a treatment decision.',
    ]),
    divider(),
  ];
  const examples = renderReply(help, { maxBlocks: LIMITS.blocksPerView - intro.length }).blocks;
  return { type: 'home', blocks: [...intro, ...examples] };
}

export function registerHome(
  app: App,
  conversation: Conversation,
  deps: { clock: Clock; logger: Logger },
): void {
  app.event(HOME_EVENT, async ({ event, client }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const help = await conversation.ask({
      text: 'help',
      user: { id: event.user },
      place: { platform: 'slack' },
    });
    await unattended(
      () => client.views.publish({ user_id: event.user, view: homeView(help) }),
      deps,
      'slack home tab could not be published',
    );
  });
}
