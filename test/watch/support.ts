// Helpers for the watch tests: records at two moments in their life (edits of real recorded ones), a
// "process" that can die mid-step (every call through it fails from then on, as after SIGKILL), and shares
// made through the real Slack app.

import fs from 'node:fs';
import path from 'node:path';
import type { Deliverer } from '../../src/core/deliverer';
import type { DurableStore } from '../../src/core/store';
import type { WatchLedger } from '../../src/watch';
import type { Harness } from '../adapters/slack/harness';
import { paperCommand, slackFixtureJson } from '../adapters/slack/slack-requests';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** The recorded /paper command: its channel is where shares land in the fake Slack. */
export const RECORDED = slackFixtureJson<{ slashCommandWithArgs: Record<string, string> }>(
  'vercel_slash_command_and_view_submission.json',
).slashCommandWithArgs;
export const CHANNEL = RECORDED.channel_id as string;

/** Replaces `from` with `to` exactly once, or fails the test (an edit that misses would test nothing). */
export function editOnce(text: string, from: string | RegExp, to: string): string {
  const count =
    typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`edit expected one match of ${String(from)}, found ${count}`);
  return text.replace(from, to);
}

/**
 * PMID 35649368 as recorded carries a real ErratumIn link (PMID 35767954). "Before": the same record
 * without it (as it stood before the erratum was linked). "Retracted": the recorded record plus a
 * RetractionIn link and the "Retracted Publication" type; no fixture holds a retracted record, so this edit
 * follows PubMed's documented shape, as test/pubmed/xml-edge.test.ts does.
 */
export const ERRATUM_PMID = '35649368';
export const ERRATUM_NOTICE_PMID = '35767954';
export const RETRACTION_SOURCE = 'Cell Rep. 2026 Nov 24;45(11):116123.';

export function articleVersions(recordedXml: string): {
  before: string;
  recorded: string;
  retracted: string;
} {
  const before = editOnce(recordedXml, /<CommentsCorrectionsList>[\s\S]*?<\/CommentsCorrectionsList>/, '');
  const withType = editOnce(
    recordedXml,
    '<PublicationType UI="D016428">Journal Article</PublicationType>',
    '<PublicationType UI="D016428">Journal Article</PublicationType><PublicationType UI="D016441">Retracted Publication</PublicationType>',
  );
  const retracted = editOnce(
    withType,
    '<CommentsCorrectionsList>',
    `<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>${RETRACTION_SOURCE}</RefSource></CommentsCorrections>`,
  );
  return { before, recorded: recordedXml, retracted };
}

/** NCT02576665 as recorded is TERMINATED; "before" is the same study while it was still recruiting. */
export const TRIAL_NCT = 'NCT02576665';

export function trialVersions(): { recruiting: unknown; recorded: unknown } {
  const text = fs.readFileSync(
    path.join(FIXTURES, 'clinicaltrials', 'v2_study_NCT02576665_fields.json'),
    'utf8',
  );
  return {
    recruiting: JSON.parse(
      editOnce(text, '"overallStatus": "TERMINATED"', '"overallStatus": "RECRUITING"'),
    ) as unknown,
    recorded: JSON.parse(text) as unknown,
  };
}

/**
 * Shares `id` through /paper (the recorded command, in `channel`) and waits until the card is posted, and
 * so recorded. Each test shares in a channel of its own, so the shares of earlier tests stay out of its counts.
 */
export async function shareInSlack(h: Harness, id: string, channel = CHANNEL): Promise<string> {
  const url = h.slack.responseUrl();
  const posted = await h.poster.post(paperCommand(`share ${id}`, url, { channel_id: channel }));
  if (posted.status !== 200) throw new Error(`share answered ${posted.status}`);
  const answer = await h.slack.nextResponse(url);
  if (answer.body.delete_original !== true)
    throw new Error(`share not posted: ${JSON.stringify(answer.body)}`);
  const share = h.slack.messagesIn(channel).at(-1);
  if (!share) throw new Error('no share in the channel');
  return share.ts;
}

/** A process that can be killed: once dead, every call through what it wraps rejects. */
export interface Mortal {
  kill(): void;
  readonly dead: boolean;
  wrap<T extends object>(target: T): T;
}

export function mortal(): Mortal {
  let dead = false;
  return {
    kill: () => {
      dead = true;
    },
    get dead() {
      return dead;
    },
    wrap<T extends object>(target: T): T {
      return new Proxy(target, {
        get(obj, prop, receiver) {
          const value: unknown = Reflect.get(obj, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (dead) return Promise.reject(new Error('killed'));
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        },
      });
    },
  };
}

/** A Deliverer that dies at the given moment of a thread post: before sending it, or after Slack took it. */
export function dyingDeliverer(real: Deliverer, proc: Mortal, when: 'before_post' | 'after_post'): Deliverer {
  const wrapped = proc.wrap(real);
  return {
    ...wrapped,
    platform: real.platform,
    async deliver(target, message, options) {
      if (when === 'before_post') {
        proc.kill();
        throw new Error('killed');
      }
      const result = await wrapped.deliver(target, message, options);
      proc.kill();
      throw new Error(`killed (post ${result.ok ? 'sent' : 'refused'})`);
    },
  };
}

export type { DurableStore, WatchLedger };
