// Refusing slash commands before Bolt while the replica owes its limit of answers. A refusal must cost far
// less than an answer, or under overload the refusals eat the capacity that serves everyone else.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { HTTPModuleFunctions } from '@slack/bolt';
import type { Logger } from '../../src/core/logger';
import { BUSY } from '../../src/core/wording';
import { signatureHeadersProblem } from './guard';

/** The ack of a command that cannot be taken now, here and in the command handler. */
export const BUSY_ACK = { response_type: 'ephemeral', text: `:hourglass: ${BUSY}` } as const;
const BUSY_ACK_BODY = Buffer.from(JSON.stringify(BUSY_ACK));
/** Built once: under a flood every refusal writes exactly these. */
const BUSY_ACK_HEADERS = ['content-type', 'application/json', 'content-length', String(BUSY_ACK_BODY.length)];

export interface ShedDeps {
  signingSecret: string;
  logger: Logger;
  now(): number;
  /** Takes the request (false once the limit is reached): Conversation.admit. */
  admit(): boolean;
}

const field = (name: string): { first: Buffer; later: Buffer } => ({
  first: Buffer.from(`${name}=`),
  later: Buffer.from(`&${name}=`),
});
const COMMAND = field('command');
const PAYLOAD = field('payload');
const SSL_CHECK = field('ssl_check');

/** Whether a form body has the field, found in the raw bytes: no decoding, no parse, no strings. */
function hasField(body: Buffer, f: { first: Buffer; later: Buffer }): boolean {
  return body.subarray(0, f.first.length).equals(f.first) || body.includes(f.later);
}

/** A slash command's form body (buttons carry `payload`, events are JSON). */
function isSlashCommand(req: http.IncomingMessage, body: Buffer): boolean {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return false;
  return hasField(body, COMMAND) && !hasField(body, PAYLOAD) && !hasField(body, SSL_CHECK);
}

/** Slack's v0 signature over the raw bytes, as Bolt checks it, without turning the body into a string. */
function signedBySlack(deps: ShedDeps, req: http.IncomingMessage, body: Buffer): boolean {
  if (signatureHeadersProblem(req, deps.now()) !== undefined) return false;
  const signature = String(req.headers['x-slack-signature']);
  const given = Buffer.from(signature.slice(3), 'hex');
  const expected = createHmac('sha256', deps.signingSecret)
    .update(`v0:${String(req.headers['x-slack-request-timestamp'])}:`)
    .update(body)
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Answers a signed, fresh slash command that cannot be taken with the busy ack and returns true; returns false
 * for everything else (buttons, events, unsigned or stale requests, commands it admits), which goes on to the
 * door and Bolt. Runs before the door's replay claim and Bolt's parse: a refusal is checked on the raw bytes
 * guard.ts already read, with no promise, no parse and no store write. A replayed command refused here is
 * harmless: it is answered "try again" again and runs nothing. `withinRate`: false when admission.ts's rate
 * is spent, which refuses the command whatever the backlog.
 */
export function refuseWhenBusy(
  deps: ShedDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  withinRate = true,
): boolean {
  if (!HTTPModuleFunctions.isBufferedIncomingMessage(req)) return false;
  const body = req.rawBody;
  if (!isSlashCommand(req, body) || !signedBySlack(deps, req, body)) return false;
  if (withinRate && deps.admit()) return false;
  res.writeHead(200, BUSY_ACK_HEADERS).end(BUSY_ACK_BODY);
  return true;
}
