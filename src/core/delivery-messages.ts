// The words for problems delivering an answer to a chat (not in the channel, rate limited, refused token):
// adapters classify their platform's error into a DeliveryProblem code; only this module words it for people.

import type { ErrorCard, Platform } from './reply';

export type DeliveryProblemCode =
  /** The bot is not a member of the (private) channel, or cannot see it at all. */
  | 'not_in_channel'
  /** The channel is archived: nothing can be posted to it. */
  | 'archived'
  /** The workspace restricts who may post there (announcement-only channels, posting permissions). */
  | 'not_allowed'
  /** The platform is throttling the bot. */
  | 'rate_limited'
  /** The bot's credentials were refused (revoked, expired, uninstalled). */
  | 'not_authorized'
  /** The platform rejected the message itself (too large, malformed). */
  | 'rejected'
  /** The platform could not be reached or failed on its side. */
  | 'unreachable';

export interface DeliveryProblem {
  code: DeliveryProblemCode;
  /** The channel's display name without "#", when the adapter knows it. */
  channelName?: string;
  /** Seconds the platform asked us to wait, when it said. */
  retryAfterSeconds?: number;
  /** How users address the bot in this platform ("@paperbot"). */
  botHandle?: string;
  platform?: Platform;
}

const PLATFORM_NAMES: Record<Platform, string> = { slack: 'Slack', teams: 'Teams', cli: 'The chat service' };

function channelLabel(name: string | undefined): string {
  return name ? `#${name}` : 'this channel';
}

function waitHint(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0)
    return 'Please try again in a minute.';
  if (seconds < 90) return `Please try again in ${Math.ceil(seconds)} seconds.`;
  return `Please try again in about ${Math.ceil(seconds / 60)} minutes.`;
}

/** What the user reads when an answer or a share could not be delivered. Pure: same problem, same words. */
export function deliveryProblemCard(problem: DeliveryProblem): ErrorCard {
  const bot = problem.botHandle ?? '@paperbot';
  const channel = channelLabel(problem.channelName);
  const service = problem.platform ? PLATFORM_NAMES[problem.platform] : 'The chat service';
  switch (problem.code) {
    case 'not_in_channel':
      return {
        type: 'error',
        message: `I can't post in ${channel} because ${bot} is not a member of it.`,
        hint: `Invite ${bot} to ${channel} first (/invite ${bot}), then share again.`,
      };
    case 'archived':
      return {
        type: 'error',
        message: `${channel === 'this channel' ? 'This channel' : channel} is archived, so nothing can be posted to it.`,
        hint: 'Share to an active channel instead.',
      };
    case 'not_allowed':
      return {
        type: 'error',
        message: `This workspace does not allow ${bot} to post in ${channel}.`,
        hint: 'Ask a channel manager or workspace admin to allow it, or share in another channel.',
      };
    case 'rate_limited':
      return {
        type: 'error',
        message: `${service} is limiting how fast paperbot can post right now.`,
        hint: waitHint(problem.retryAfterSeconds),
      };
    case 'not_authorized':
      return {
        type: 'error',
        message: "paperbot's connection to this workspace was refused (its access token is no longer valid).",
        hint: 'Ask your workspace admin to reinstall paperbot. Searches shown only to you still work.',
      };
    case 'rejected':
      return {
        type: 'error',
        message: 'The message could not be delivered in this form.',
        hint: 'Please try again; if it keeps failing, tell your paperbot administrator.',
      };
    case 'unreachable':
      return {
        type: 'error',
        message: `${service} could not be reached to deliver this.`,
        hint: waitHint(problem.retryAfterSeconds),
      };
  }
}
