// Drives replicas the way Slack does: signed /paper commands, each with its own response_url on the fake Slack,
// and records when each was acked and answered. Summaries for the fault and scale suites print from these.

import { randomUUID } from 'node:crypto';
import { paperCommand, slackPoster, type SlackPoster } from '../adapters/slack/slack-requests';
import type { CommandAnswer, FakeSlack } from '../peers/slack';

/** Slack's deadline for an answer the user sees (PLATFORM-FACTS §3). */
export const SLACK_DEADLINE_MS = 3000;

export interface Sent {
  text: string;
  replica: string;
  responseUrl: string;
  sentAt: number;
  ackStatus?: number;
  ackMs?: number;
  /** The answer: the ack's own message when it was at hand, else the first one sent to the response_url. */
  reply?: CommandAnswer;
  replyMs?: number;
  error?: string;
}

export interface Target {
  name: string;
  url: string;
}

export interface CommandDriver {
  /** Sends one command to `target` and resolves once it is answered (or `replyTimeoutMs` passed). */
  send(text: string, target: Target): Promise<Sent>;
  sent: Sent[];
  close(): Promise<void>;
}

export function commandDriver(slack: FakeSlack, o: { replyTimeoutMs?: number } = {}): CommandDriver {
  const posters = new Map<string, SlackPoster>();
  const sent: Sent[] = [];
  const run = randomUUID().slice(0, 8);
  let counter = 0;
  const posterFor = (target: Target): SlackPoster => {
    let poster = posters.get(target.url);
    if (!poster) {
      poster = slackPoster(target.url, { keepAliveMs: 1000 });
      posters.set(target.url, poster);
    }
    return poster;
  };
  return {
    sent,
    async send(text, target) {
      counter += 1;
      const responseUrl = slack.responseUrl(`T00FAKE00BB/${run}-${counter}/drive`);
      const record: Sent = { text, replica: target.name, responseUrl, sentAt: Date.now() };
      sent.push(record);
      try {
        const ack = await posterFor(target).post(paperCommand(text, responseUrl));
        record.ackStatus = ack.status;
        record.ackMs = ack.ms;
        const reply = await slack.answerTo(responseUrl, ack.body, o.replyTimeoutMs ?? 10_000);
        record.reply = reply;
        record.replyMs = reply.at - record.sentAt;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
      return record;
    },
    async close() {
      await Promise.all([...posters.values()].map((p) => p.close()));
    },
  };
}

/** The reply's text and blocks as one string, to look for PMIDs and notices in. */
export function replyText(sent: Sent): string {
  return sent.reply ? JSON.stringify(sent.reply.body) : '';
}

export interface DigestTally {
  due: number;
  posted: number;
  duplicated: number;
}

/** "fault: … — commands sent / answered / answered within 3 s …, digests due / posted / duplicated". */
export function summaryLine(name: string, sent: readonly Sent[], digests?: DigestTally): string {
  const answered = sent.filter((s) => s.reply !== undefined);
  const inTime = answered.filter((s) => (s.replyMs ?? Infinity) <= SLACK_DEADLINE_MS);
  const slowest = Math.max(0, ...answered.map((s) => s.replyMs ?? 0));
  const d = digests ?? { due: 0, posted: 0, duplicated: 0 };
  return (
    `${name}: commands sent ${sent.length} / answered ${answered.length} / answered within 3 s ${inTime.length}` +
    ` (slowest ${slowest} ms); digests due ${d.due} / posted ${d.posted} / duplicated ${d.duplicated}`
  );
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
