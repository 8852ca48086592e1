// `watch`, `unwatch <id>` and `list [window]` for the assistant, each about the channel the request came
// from. It never throws: a problem becomes a reply the user can act on.

import type { Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/logger';
import type { HelpCard, Reply, Request } from '../core/reply';
import type { Article } from '../core/article';
import { EXPORT_LINK_TTL_MS, type ExportLinks } from './export-links';
import { exportReadingList, EXPORT_FORMATS, type ExportFormat } from './exports';
import { WATCH_BATCH, type WatchPubmed } from './fetch';
import type { Place, WatchLedger } from './ledger';
import { changeLines } from './messages';
import { fitLines, readingListCard, latestPerItem } from './reading-list';
import type { WatchedShare } from './types';
import { parseListWindow } from './window';

const DAY = 24 * 3600_000;
/** `watch` shows what changed in this many days. */
const RECENT_DAYS = 30;

export type WatchVerb = 'watch' | 'unwatch' | 'list';

export interface WatchHandlerDeps {
  ledger: WatchLedger;
  clock: Clock;
  retentionMs: number;
  /** Fresh records for exports; absent offline (exports then carry what the cards showed). */
  pubmed?: WatchPubmed;
  /** Where Teams exports are held for download; absent without PAPERBOT_PUBLIC_URL (Teams cannot export). */
  exportLinks?: ExportLinks;
  logger?: Logger;
}

export interface WatchHandler {
  handle(verb: WatchVerb, text: string, request: Request): Promise<Reply>;
}

const error = (message: string, hint?: string): Reply => ({
  cards: [hint ? { type: 'error', message, hint } : { type: 'error', message }],
  visibility: 'private',
});

export const NO_CHANNEL = error(
  'Watching and reading lists belong to a channel.',
  'Run this in the channel where cards were shared (or use `paperbot list --channel …` from the CLI).',
);
const STORE_DOWN = error('paperbot cannot read what was shared just now.', 'Please try again in a minute.');

export function placeOf(request: Request): Place | undefined {
  const { platform, team, channel } = request.place;
  if (!channel || platform === 'cli') return undefined;
  return { platform, ...(team ? { team } : {}), channel };
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const itemName = (s: WatchedShare): string => (s.item.kind === 'article' ? `PMID ${s.item.id}` : s.item.id);

function watchCard(shares: readonly WatchedShare[], nowMs: number): HelpCard {
  const items = latestPerItem(shares);
  const recent = shares
    .flatMap((s) => s.told.filter((t) => t.at >= nowMs - RECENT_DAYS * DAY).map((t) => ({ s, t })))
    .sort((a, b) => b.t.at - a.t.at)
    .flatMap(({ s, t }) => changeLines(s, t.changes).map((line) => `${day(t.at)} ${line}`));
  const watching = items.filter((s) => !s.paused && !s.unwatched);
  const paused = items.filter((s) => s.paused);
  return {
    type: 'help',
    title: `paperbot watches ${watching.length} shared item${watching.length === 1 ? '' : 's'} in this channel`,
    sections: [
      {
        heading: `Changed in the last ${RECENT_DAYS} days`,
        lines:
          recent.length > 0
            ? fitLines(recent, (n) => `… and ${n} more`)
            : ['Nothing shared here has changed.'],
      },
      {
        heading: 'Watching',
        lines:
          watching.length > 0
            ? fitLines(
                watching.map(
                  (s) =>
                    `${itemName(s)} — ${s.title} · shared ${day(s.at)}${s.by.name ? ` by ${s.by.name}` : ''}`,
                ),
                (n) => `… and ${n} more`,
              )
            : ['Nothing: share a card here (share 29658856 · share NCT02578680) and paperbot watches it.'],
      },
      ...(paused.length > 0
        ? [
            {
              heading: 'Paused (paperbot could not post here)',
              lines: fitLines(
                paused.map((s) => `${itemName(s)} — ${s.title}`),
                (n) => `… and ${n} more`,
              ),
            },
          ]
        : []),
      { heading: 'Stop', lines: ['unwatch 29658856 · unwatch NCT02578680'] },
    ],
  };
}

function parseItem(text: string): { kind: 'article' | 'trial'; id: string } | undefined {
  const t = text.trim();
  const pmid = /^(?:pmid:\s*)?([1-9]\d{0,8})$/i.exec(t)?.[1];
  if (pmid) return { kind: 'article', id: pmid };
  const nct = /^(NCT\d{8})$/i.exec(t)?.[1];
  return nct ? { kind: 'trial', id: nct.toUpperCase() } : undefined;
}

const EXPORT_SUFFIX = new RegExp(`(?:^|\\s)as (${EXPORT_FORMATS.join('|')})$`, 'i');

const TEAMS_NO_LINKS = error(
  'Exports in Teams need PAPERBOT_PUBLIC_URL: paperbot gives a download link, and this server has no public address set.',
  'Ask whoever runs paperbot to set PAPERBOT_PUBLIC_URL; meanwhile type list for the reading list here.',
);

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function createWatchHandler(deps: WatchHandlerDeps): WatchHandler {
  const logger = (deps.logger ?? silentLogger).child({ component: 'watch-commands' });

  async function records(shares: readonly WatchedShare[]): Promise<Map<string, Article>> {
    const pmids = [...new Set(shares.flatMap((s) => (s.item.kind === 'article' ? [s.item.id] : [])))];
    const out = new Map<string, Article>();
    if (!deps.pubmed) return out;
    for (let i = 0; i < pmids.length; i += WATCH_BATCH) {
      const found = await deps.pubmed.efetchFresh(pmids.slice(i, i + WATCH_BATCH), {
        priority: 'interactive',
      });
      for (const a of found.articles) out.set(a.pmid, a);
    }
    return out;
  }

  /** `list … as html`: the reading list as a file in the channel. */
  async function exported(
    place: Place,
    text: string,
    format: ExportFormat,
    request: Request,
  ): Promise<Reply> {
    if (place.platform === 'teams' && !deps.exportLinks) return TEAMS_NO_LINKS;
    const window = parseListWindow(text, deps.clock.now());
    if (!window.ok) return error(window.message, window.hint);
    const shares = await deps.ledger.inChannel(place, window.sinceMs);
    if (shares.length === 0) return error(`Nothing was shared in this channel ${window.label}.`);
    let articles: Map<string, Article>;
    try {
      articles = await records(shares);
    } catch (err) {
      logger.warn({ err }, 'watch: PubMed unavailable for an export');
      return error(
        'PubMed is unavailable just now, so the export would miss current warnings.',
        'Please try again in a minute.',
      );
    }
    const file = exportReadingList(format, { shares, articles, windowLabel: window.label });
    const count = latestPerItem(shares).length;
    const title = `Reading list — shared ${window.label}`;
    // Teams: paperbot may not put files in a channel (that is SharePoint), so it serves the file itself.
    if (place.platform === 'teams' && deps.exportLinks) {
      const held = await deps.exportLinks.publish(file);
      return {
        cards: [
          {
            type: 'help',
            title,
            sections: [
              {
                heading: `${format.toUpperCase()} export, ${count} item${count === 1 ? '' : 's'}`,
                lines: [
                  `The download link expires in ${EXPORT_LINK_TTL_MS / 3600_000} hours (${utc(held.expiresAt)}).`,
                ],
              },
            ],
            link: { label: `Download ${file.filename}`, url: held.url },
          },
        ],
        visibility: 'channel',
        sharedBy: request.user,
      };
    }
    return {
      cards: [],
      notice: `Reading list of this channel, shared ${window.label}: ${count} item${count === 1 ? '' : 's'} (${format.toUpperCase()}).`,
      file: { ...file, title },
      visibility: 'channel',
      sharedBy: request.user,
    };
  }

  async function unwatch(place: Place, text: string, request: Request): Promise<Reply> {
    const item = parseItem(text);
    if (!item)
      return error(
        text.trim()
          ? `"${text.trim()}" is not a PMID or an NCT id.`
          : '"unwatch" needs the PMID or NCT id to stop watching.',
        'For example: unwatch 29658856 · unwatch NCT02578680',
      );
    const now = deps.clock.now();
    const shares = await deps.ledger.inChannel(place, now - deps.retentionMs);
    const matching = shares.filter((s) => s.item.kind === item.kind && s.item.id === item.id && !s.unwatched);
    let stopped = 0;
    for (const s of matching)
      if (await deps.ledger.replace(s, { ...s, unwatched: { at: now, by: request.user.id } })) stopped += 1;
    const name = item.kind === 'article' ? `PMID ${item.id}` : item.id;
    if (stopped === 0) return error(`${name} is not watched in this channel.`, 'Type watch to see what is.');
    return {
      cards: [],
      notice: `paperbot no longer watches ${name} in this channel.`,
      visibility: 'private',
    };
  }

  return {
    async handle(verb, text, request) {
      const place = placeOf(request);
      if (!place) return NO_CHANNEL;
      const now = deps.clock.now();
      try {
        if (verb === 'unwatch') return await unwatch(place, text, request);
        if (verb === 'watch') {
          if (text.trim())
            return error(
              `"watch" takes no argument.`,
              'Share a card to watch it; type watch to see the list.',
            );
          return {
            cards: [watchCard(await deps.ledger.inChannel(place, now - deps.retentionMs), now)],
            visibility: 'private',
          };
        }
        const format = EXPORT_SUFFIX.exec(text.trim())?.[1]?.toLowerCase() as ExportFormat | undefined;
        if (format) return await exported(place, text.trim().replace(EXPORT_SUFFIX, ''), format, request);
        const window = parseListWindow(text, now);
        if (!window.ok) return error(window.message, window.hint);
        const shares = await deps.ledger.inChannel(place, window.sinceMs);
        return { cards: [readingListCard(shares, window.label, text)], visibility: 'private' };
      } catch (err) {
        logger.error({ err, verb }, 'watch: command failed');
        return STORE_DOWN;
      }
    },
  };
}
