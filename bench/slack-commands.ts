// Signed /paper commands for the load benches, each one a new command: Slack gives every command its own
// trigger_id, and paperbot drops an exact replay (adapters/slack/door.ts), so a bench must never repeat one.

import { paperCommand, sign, SIGNING_SECRET } from '../test/adapters/slack/slack-requests';

export interface SignedCommand {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let sequence = 0;

/** A trigger_id no earlier command of this process had. */
export function freshTrigger(): { trigger_id: string } {
  sequence += 1;
  return { trigger_id: `bench.${process.pid}.${sequence}` };
}

/** A fresh command for `query`: its own trigger_id, signed now (Slack refuses signatures older than 5 min). */
export function signedCommand(query: string, responseUrl: string): SignedCommand {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = paperCommand(query, responseUrl, freshTrigger());
  return {
    path: '/slack/events',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
    },
    body,
  };
}
