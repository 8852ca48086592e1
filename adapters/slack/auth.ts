// Token mode: one workspace, one bot token. Who the bot is (auth.test) is learnt once, in the background,
// so no request ever waits on it; a refused token is logged clearly instead of failing every request.

import type { Authorize, webApi } from '@slack/bolt';
import type { Logger } from '../../src/core/logger';
import { classifySlackError } from './errors';

export interface TokenAuthorization {
  authorize: Authorize<boolean>;
  /** Calls auth.test once; never throws. Resolves true when Slack accepted the token. */
  identify(): Promise<boolean>;
}

export function tokenAuthorization(
  token: string,
  client: webApi.WebClient,
  logger: Logger,
): TokenAuthorization {
  let identity: { botId?: string; botUserId?: string } = {};
  return {
    // Bolt's ignoreSelf middleware uses the ids when known; listeners only need the token.
    authorize: async () => ({ botToken: token, ...identity }),
    async identify() {
      try {
        const result = await client.auth.test({ token });
        identity = {
          ...(result.bot_id ? { botId: result.bot_id } : {}),
          ...(result.user_id ? { botUserId: result.user_id } : {}),
        };
        logger.info({ team: result.team_id, botUserId: result.user_id }, 'slack bot token accepted');
        return true;
      } catch (error) {
        const problem = classifySlackError(error);
        if (problem.code === 'not_authorized')
          logger.error(
            { slackError: problem.slackError },
            'SLACK_BOT_TOKEN was refused by Slack: sharing, unfurls and the Home tab will fail until it is replaced (private /paper answers still work)',
          );
        else
          logger.warn(
            { slackError: problem.slackError, code: problem.code },
            'could not verify SLACK_BOT_TOKEN yet',
          );
        return false;
      }
    },
  };
}
