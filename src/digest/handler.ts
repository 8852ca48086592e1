// `digest …` commands for the assistant: add, list, remove, pause, resume, preview, each scoped to the
// channel the request came from. It never throws: every problem becomes a reply the user can act on.

import type { Clock } from '../core/clock';
import { displayEntrezDate } from '../core/digest-cards';
import { silentLogger, type Logger } from '../core/logger';
import type { Reply, Request } from '../core/reply';
import { sourceProblem } from '../core/wording';
import { parseDigestCommand, type DigestCommand } from './commands';
import type { DigestPubmed } from './lookup';
import { previewDigest, type PreviewSubject } from './preview';
import { checkTimeZone, describeSchedule, latestSlot, nextSlot } from './schedule';
import type { DigestStore } from './store';
import type { ChannelRef, Schedule, Subscription } from './types';
import {
  addedText,
  digestHelpCard,
  listCard,
  NO_CHANNEL,
  nextLine,
  notice,
  problemReply,
  STORE_DOWN,
  unknownId,
} from './wording';

export const DEFAULT_TIME = '08:00';
/** Enough for any tumor board; a runaway script should not schedule thousands of PubMed searches. */
export const MAX_PER_CHANNEL = 25;

export interface DigestHandlerDeps {
  store: DigestStore;
  /** Absent offline: previews then say PubMed is unavailable; subscriptions still work. */
  pubmed?: DigestPubmed;
  clock: Clock;
  logger?: Logger;
}

export interface DigestHandler {
  /** `text` is what follows "digest"; the request says who asks and in which channel. */
  handle(text: string, request: Request): Promise<Reply>;
}

function channelOf(request: Request): ChannelRef | undefined {
  const { platform, team, channel } = request.place;
  if (!channel || platform === 'cli') return undefined;
  return { platform, ...(team ? { team } : {}), channel };
}

const samePlace = (a: ChannelRef, b: ChannelRef): boolean =>
  a.platform === b.platform && (a.team ?? '') === (b.team ?? '') && a.channel === b.channel;

/** The request's zone when it is a real one, else UTC. */
function defaultZone(request: Request): string {
  const zone = request.place.timeZone ? checkTimeZone(request.place.timeZone) : undefined;
  return zone?.ok ? zone.timeZone : 'UTC';
}

export function createDigestHandler(deps: DigestHandlerDeps): DigestHandler {
  const logger = (deps.logger ?? silentLogger).child({ component: 'digest-commands' });
  const { store, clock } = deps;

  const next = (sub: Subscription): number | undefined =>
    sub.paused ? undefined : nextSlot(sub.schedule, clock.now());

  async function owned(id: string, place: ChannelRef): Promise<Subscription | undefined> {
    const sub = await store.get(id);
    return sub && samePlace(sub.place, place) ? sub : undefined;
  }

  async function add(
    command: Extract<DigestCommand, { kind: 'add' }>,
    place: ChannelRef,
    request: Request,
  ): Promise<Reply> {
    const schedule: Schedule = {
      cadence: command.cadence ?? 'daily',
      time: command.time ?? DEFAULT_TIME,
      timeZone: command.timeZone ?? defaultZone(request),
      ...(command.cadence === 'weekly' ? { weekday: command.weekday ?? 1 } : {}),
    };
    const existing = await store.listForChannel(place);
    const twin = existing.find(
      (s) => s.query.term === command.query.term && JSON.stringify(s.schedule) === JSON.stringify(schedule),
    );
    if (twin)
      return problemReply(
        `This channel already has that digest: #${twin.id}, ${describeSchedule(twin.schedule)}.`,
        twin.paused ? `“digest resume ${twin.id}” restarts it.` : undefined,
      );
    if (existing.length >= MAX_PER_CHANNEL)
      return problemReply(
        `This channel already has ${existing.length} digests, the most one channel can have.`,
        'Remove one first (“digest list” shows them).',
      );
    const sub = await store.create({
      place,
      createdBy: { id: request.user.id, ...(request.user.name ? { name: request.user.name } : {}) },
      createdAt: clock.now(),
      query: command.query,
      schedule,
      notifyEmpty: command.notifyEmpty,
    });
    logger.info({ subscription: sub.id, platform: place.platform, schedule }, 'digest added');
    return notice(addedText(sub, nextSlot(schedule, clock.now())));
  }

  async function preview(subject: PreviewSubject): Promise<Reply> {
    if (!deps.pubmed) return problemReply('Previews need PubMed, and paperbot is running offline.');
    const result = await previewDigest({ pubmed: deps.pubmed, store }, subject, clock.now(), {
      priority: 'interactive',
    });
    switch (result.kind) {
      case 'digest':
        return result.reply;
      case 'nothing_new':
        return notice(
          `Nothing new in PubMed for “${subject.query.text}” since ${displayEntrezDate(result.from)}${subject.subscriptionId ? '' : ' (a first digest looks back one day)'}.`,
        );
      case 'pubmed_failed':
        return problemReply(
          `${sourceProblem(result.error)} The preview is not available right now; please try again in a minute.`,
        );
    }
  }

  async function dispatch(command: DigestCommand, request: Request): Promise<Reply> {
    if (command.kind === 'help') return { cards: [digestHelpCard()], visibility: 'private' };
    if (command.kind === 'invalid') return problemReply(command.message, command.hint);
    if (command.kind === 'preview' && 'query' in command)
      return preview({
        query: command.query,
        schedule: { cadence: 'daily', time: DEFAULT_TIME, timeZone: defaultZone(request) },
      });
    const place = channelOf(request);
    if (!place) return problemReply(NO_CHANNEL);
    switch (command.kind) {
      case 'add':
        return add(command, place, request);
      case 'list': {
        const subs = await store.listForChannel(place);
        if (subs.length === 0)
          return notice(
            'This channel has no PubMed digests yet. Start one with “digest add <query>”, e.g. digest add immunotherapy liver metastases at 07:30 weekdays',
          );
        return { cards: [listCard(subs.map((sub) => ({ sub, next: next(sub) })))], visibility: 'private' };
      }
      case 'preview': {
        const sub = await owned(command.id, place);
        if (!sub) return unknownId(command.id);
        return preview({
          subscriptionId: sub.id,
          query: sub.query,
          schedule: sub.schedule,
          createdAt: sub.createdAt,
          ...(sub.watermark === undefined ? {} : { watermark: sub.watermark }),
        });
      }
      case 'remove': {
        const sub = await owned(command.id, place);
        if (!sub || !(await store.remove(sub.id))) return unknownId(command.id);
        logger.info({ subscription: sub.id }, 'digest removed');
        return notice(`Digest #${sub.id} removed (“${sub.query.text}”). Nothing more will be posted for it.`);
      }
      case 'pause': {
        const sub = await owned(command.id, place);
        if (!sub) return unknownId(command.id);
        if (sub.paused)
          return notice(`Digest #${sub.id} is already paused; “digest resume ${sub.id}” restarts it.`);
        const by = { id: request.user.id, ...(request.user.name ? { name: request.user.name } : {}) };
        await store.pause(sub.id, {
          at: clock.now(),
          by: 'user',
          userId: by.id,
          ...(by.name ? { userName: by.name } : {}),
        });
        return notice(
          `Digest #${sub.id} paused (“${sub.query.text}”). When resumed, its next digest covers everything added meanwhile.`,
        );
      }
      case 'resume': {
        const sub = await owned(command.id, place);
        if (!sub) return unknownId(command.id);
        if (!sub.paused) return notice(`Digest #${sub.id} is not paused. ${nextLine(sub, next(sub))}`);
        const resumed = await store.resume(sub.id, latestSlot(sub.schedule, clock.now()));
        if (!resumed) return unknownId(command.id);
        return notice(`Digest #${sub.id} resumed (“${sub.query.text}”). ${nextLine(resumed, next(resumed))}`);
      }
    }
  }

  return {
    async handle(text, request) {
      const command = parseDigestCommand(text, new Date(clock.now()).getUTCFullYear());
      try {
        return await dispatch(command, request);
      } catch (err) {
        logger.error({ err, kind: command.kind }, 'digest command failed');
        return problemReply(STORE_DOWN);
      }
    },
  };
}
