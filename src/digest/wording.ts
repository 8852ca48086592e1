// Every sentence users read about their digest subscriptions: confirmations, the list, problems, help.
// The handler decides what happened; this module only says it. Pure.

import type { DeliveryProblemKind } from '../core/deliverer';
import { displayEntrezDate } from '../core/digest-cards';
import type { HelpCard, Reply } from '../core/reply';
import { describeSchedule, formatInZone } from './schedule';
import type { Subscription } from './types';
import { entrezDay } from './window';

export const NO_CHANNEL = 'Digests post to a channel, so these commands work in a Slack or Teams channel.';
export const STORE_DOWN = 'Digest settings could not be reached just now; please try again in a minute.';
export const LIST_HINT = '“digest list” shows this channel’s digests and their ids.';

export const notice = (text: string): Reply => ({ cards: [], notice: text, visibility: 'private' });

export const problemReply = (message: string, hint?: string): Reply => ({
  cards: [hint ? { type: 'error', message, hint } : { type: 'error', message }],
  visibility: 'private',
});

export function unknownId(id: string): Reply {
  return problemReply(`This channel has no digest #${id}.`, LIST_HINT);
}

const REFUSALS: Record<DeliveryProblemKind, string> = {
  not_found: 'the channel is gone, or paperbot was removed from it',
  forbidden: 'paperbot is not allowed to post in this channel',
  archived: 'the channel is archived',
  rate_limited: 'the platform kept limiting posts',
  failed: 'posting kept failing',
};

const FAILURES: Record<string, string> = {
  pubmed_unavailable: 'PubMed could not be reached',
  rate_limited: 'the platform was limiting posts',
  delivery_failed: 'posting failed',
  reconcile_failed: 'the channel’s recent messages could not be checked',
  superseded: 'a later digest covered it',
};

function day(atMs: number, timeZone: string): string {
  return formatInZone(atMs, timeZone).replace(/, .*$/, '');
}

function lastLine(sub: Subscription): string | undefined {
  const r = sub.lastResult;
  const zone = sub.schedule.timeZone;
  if (sub.paused?.by === 'delivery')
    return `Paused since ${day(sub.paused.at, zone)}: ${REFUSALS[sub.paused.problem ?? 'failed']}. Fix that, then “digest resume ${sub.id}”; the next digest covers everything missed.`;
  if (sub.paused)
    return `Paused since ${day(sub.paused.at, zone)}${sub.paused.userName ? ` by ${sub.paused.userName}` : ''}; “digest resume ${sub.id}” restarts it.`;
  if (!r) return undefined;
  const when = formatInZone(r.at, zone);
  switch (r.status) {
    case 'delivered':
      return r.count
        ? `Last: ${r.count} new paper${r.count === 1 ? '' : 's'}, posted ${when}.`
        : `Last: nothing new (said so ${when}).`;
    case 'empty':
      return `Last: nothing new at ${when}.`;
    case 'failed':
      return `Last attempt failed at ${when} (${FAILURES[r.problem ?? ''] ?? 'an error'})${sub.retryAt ? `; retrying ${formatInZone(sub.retryAt, zone)}` : '; the next digest covers its papers'}.`;
    case 'paused':
      return undefined;
  }
}

export function nextLine(sub: Subscription, next: number | undefined): string {
  if (sub.paused || next === undefined) return 'Next: none while paused.';
  const since =
    sub.watermark === undefined
      ? ''
      : `, covering papers added since ${displayEntrezDate(entrezDay(sub.watermark))}`;
  return `Next: ${formatInZone(next, sub.schedule.timeZone)}${since}.`;
}

export function listCard(subs: { sub: Subscription; next: number | undefined }[]): HelpCard {
  return {
    type: 'help',
    title: `PubMed digests in this channel (${subs.length})`,
    sections: subs.map(({ sub, next }) => ({
      heading: `#${sub.id} · ${sub.query.text}`,
      lines: [
        `${describeSchedule(sub.schedule)}${sub.notifyEmpty ? ', also when nothing is new' : ''}.`,
        nextLine(sub, next),
        ...[lastLine(sub)].filter((l): l is string => l !== undefined),
      ],
    })),
  };
}

export function addedText(sub: Subscription, next: number): string {
  const first = sub.schedule.cadence === 'weekly' ? 'the past week' : 'the past day';
  return [
    `Digest #${sub.id} added: “${sub.query.text}”, ${describeSchedule(sub.schedule)}.`,
    `First digest ${formatInZone(next, sub.schedule.timeZone)}, with the papers added to PubMed in ${first}; after that, only what is new since the previous one${sub.notifyEmpty ? ' (and a short line when nothing is)' : ', and nothing when nothing is new'}.`,
  ].join('\n');
}

/** Why a paused subscription stopped, in the private notice to its creator. */
const PAUSED_BECAUSE: Record<DeliveryProblemKind, string> = {
  not_found: 'paperbot was removed from its channel, or the channel was deleted',
  forbidden: 'paperbot is no longer allowed to post in its channel',
  archived: 'its channel was archived',
  rate_limited: 'the platform kept limiting posts',
  failed: 'posting kept failing',
};

/**
 * Sent privately to a subscription's creator when a channel refused its digest for good. Channel ids mean
 * nothing to people, so the text says "its channel"; adapters that can link to it add the link
 * (NotifyOptions.about).
 */
export function pausedNotice(sub: Subscription, problem: DeliveryProblemKind): Reply {
  const resume = `type “digest resume ${sub.id}” in that channel; the next digest covers everything missed.`;
  return {
    cards: [
      {
        type: 'error',
        message: `Your PubMed digest #${sub.id} “${sub.query.text}” is paused: ${PAUSED_BECAUSE[problem]}.`,
        hint:
          problem === 'archived'
            ? `Once the channel is unarchived, ${resume}`
            : `Add paperbot to the channel again (or ask a channel manager to), then ${resume}`,
      },
    ],
    visibility: 'private',
  };
}

export const digestHelpCard = (): HelpCard => ({
  type: 'help',
  title: 'PubMed digests',
  sections: [
    {
      heading: 'Subscribe this channel',
      lines: [
        'digest add <query> [at 07:30] [tz Europe/Berlin] [daily | weekdays | weekly mon] [always]',
        'Search filters work too: digest add immunotherapy liver metastases type:rct at 07:30 weekdays',
        'Default: daily at 08:00 in your time zone. “always” also posts a line when nothing is new.',
      ],
    },
    {
      heading: 'Manage',
      lines: [
        'digest list',
        'digest pause <id> · digest resume <id> · digest remove <id>',
        'digest preview <id | query>: what would be posted now, shown only to you',
      ],
    },
    {
      heading: 'What “new” means',
      lines: [
        'Papers added to PubMed (Entrez date) since the previous digest, each sent once per subscription.',
      ],
    },
  ],
});
