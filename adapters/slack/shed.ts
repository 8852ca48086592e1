// Refusing slash commands before Bolt while the replica owes its limit of answers. A refusal must cost far
// less than an answer, or under overload the refusals eat the capacity that serves everyone else.

import type http from 'node:http';
import { defaultBodyLimit, HTTPModuleFunctions } from '@slack/bolt';
import type { Logger } from '../../src/core/logger';
import { BUSY } from '../../src/core/wording';

/** The ack of a command that cannot be taken now, here and in the command handler. */
export const BUSY_ACK = { response_type: 'ephemeral', text: `:hourglass: ${BUSY}` } as const;
const BUSY_ACK_JSON = JSON.stringify(BUSY_ACK);

export interface ShedDeps {
  signingSecret: string;
  logger: Logger;
  /** Takes the request (false once the limit is reached): Conversation.admit. */
  admit(): boolean;
  /** Bolt's own request listener, for everything not refused here. */
  bolt(req: http.IncomingMessage, res: http.ServerResponse): void;
}

/** A slash command's form body (buttons carry `payload`, events are JSON). */
function isSlashCommand(req: http.IncomingMessage, body: Buffer): boolean {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return false;
  const form = new URLSearchParams(body.toString('utf8'));
  return form.has('command') && !form.has('payload') && !form.has('ssl_check');
}

/**
 * Reads and verifies the request with Bolt's own functions (through Bolt, a refusal also paid for its
 * middleware chain, context and listener promises), and answers a signed slash command that cannot be taken
 * with the busy ack. Everything else goes on to Bolt with the body already read, which
 * Bolt reuses and verifies again: a request refused here is one Bolt would also have refused.
 */
export async function shedOrPass(
  deps: ShedDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  let body: Buffer;
  try {
    const buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
      { enabled: true, signingSecret: deps.signingSecret, bodyLimit: defaultBodyLimit },
      req,
    );
    body = buffered.rawBody;
  } catch (error) {
    if (HTTPModuleFunctions.isRawBodyError(error)) {
      // The body could not be read whole; Bolt could not read it again either.
      deps.logger.warn({ err: error }, 'slack: request body unreadable');
      HTTPModuleFunctions.buildNoBodyResponse(res, error.statusCode === 413 ? 413 : 400);
      return;
    }
    // Unsigned or stale: Bolt answers 401 and logs it, as for any request.
    deps.bolt(req, res);
    return;
  }
  if (isSlashCommand(req, body) && !deps.admit()) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(BUSY_ACK_JSON);
    return;
  }
  deps.bolt(req, res);
}
