// A core Reply as one Teams message: a single Adaptive Card 1.5 that always stays well under Teams' size
// limit. Cards are rendered generously first, then tighter; if even the sparest does not fit, cards go.

import type { ArticleBudget } from '../../src/core/present/article';
import { headline, NEXT_PAGE_LABEL, pageLine } from '../../src/core/present/reply';
import type { Card, Reply } from '../../src/core/reply';
import {
  ADAPTIVE_CARD_TYPE,
  card,
  container,
  fit,
  rich,
  run,
  submit,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Mention,
} from './adaptive';
import { articleElements } from './cards-article';
import { mapElements, type TeamsChart } from './cards-map';
import { citationElements, errorElements, helpElements, trialElements } from './cards-other';

/**
 * Teams refuses messages past ~100 KB (counted in UTF-16) with 413 MessageSizeTooBig; the guidance is to
 * stay under 80 KB. JSON characters × 2 bytes under this bound keeps every message near half of that.
 */
export const MAX_MESSAGE_CHARS = 24_000;

export interface RenderOptions {
  /** Action ids not to offer (e.g. "share" in a personal chat, which has no channel to share to). */
  omit?: ReadonlySet<string>;
  /** Messaging-extension results and unfurls: no command buttons. */
  compact?: boolean;
  /** An evidence map's chart, drawn before the message is rendered (or why it could not be). */
  chart?: TeamsChart;
}

/** What a message activity carries: the card, and the line phones show in notifications. */
export interface TeamsMessage {
  type: 'message';
  summary: string;
  attachments: [{ contentType: typeof ADAPTIVE_CARD_TYPE; content: AdaptiveCard }];
}

interface Level {
  article: ArticleBudget;
  trialSummary: number;
  citation: number;
}

const LEVELS: Level[] = [
  {
    article: { title: 600, authors: 6, abstract: 9000, section: 4000, mesh: 8 },
    trialSummary: 2000,
    citation: 6000,
  },
  {
    article: { title: 400, authors: 4, abstract: 4500, section: 1500, mesh: 5 },
    trialSummary: 1000,
    citation: 3000,
  },
  {
    article: { title: 250, authors: 3, abstract: 1800, section: 700, mesh: 0 },
    trialSummary: 400,
    citation: 1500,
  },
  { article: { title: 160, authors: 2, abstract: 0, section: 0, mesh: 0 }, trialSummary: 0, citation: 800 },
];

const SHORTENED = '✂️ Shortened to fit in a Teams message.';

export function cardElements(c: Card, level: Level, o: RenderOptions): CardElement[] {
  switch (c.type) {
    case 'article':
      return articleElements(c, {
        budget: level.article,
        ...(o.compact ? { compact: true } : {}),
        ...(o.omit ? { omit: o.omit } : {}),
      });
    case 'trial':
      return trialElements(c, level.trialSummary, o.compact);
    case 'citation':
      return citationElements(c, level.citation);
    case 'help':
      return helpElements(c);
    case 'error':
      return errorElements(c);
    case 'map':
      return mapElements(c, o.chart);
  }
}

/** A display name safe inside <at>…</at> and TextBlock Markdown. */
function mentionName(name: string | undefined): string | undefined {
  const safe = fit((name ?? '').replace(/[<>[\]*_`\\#~|]/g, ''), 80);
  return safe || undefined;
}

function head(reply: Reply): { items: CardElement[]; entities: Mention[] } {
  const items: CardElement[] = [];
  const entities: Mention[] = [];
  const sharer = reply.visibility === 'channel' ? reply.sharedBy : undefined;
  const name = mentionName(sharer?.name);
  if (sharer && name) {
    const text = `<at>${name}</at>`;
    items.push(textBlock(`👥 Shared by ${text}`, { isSubtle: true, size: 'Small' }));
    entities.push({ type: 'mention', text, mentioned: { id: sharer.id, name } });
  }
  if (reply.notice) {
    const lines = reply.notice.split('\n').filter((l) => l.trim());
    for (const line of lines.slice(0, 6))
      items.push(rich([run('ℹ️ '), run(fit(line, 1000))], { spacing: 'Small' }));
  }
  const count = reply.total !== 0 ? pageLine(reply) : undefined;
  if (count)
    items.push(
      textBlock(count, {
        isSubtle: true,
        size: 'Small',
        spacing: 'Small',
      }),
    );
  return { items, entities };
}

function body(cards: readonly Card[], level: Level, o: RenderOptions): CardElement[] {
  return cards.map((c, i) =>
    container(cardElements(c, level, o), i > 0 ? { separator: true, spacing: 'Large' } : {}),
  );
}

/** The notification line: what a phone shows before the message is opened. */
export function summaryText(reply: Reply): string {
  const first = reply.cards[0];
  const text = first ? headline(first) : (reply.notice ?? 'paperbot');
  const name = reply.visibility === 'channel' ? reply.sharedBy?.name : undefined;
  return fit(name ? `${text} (shared by ${name})` : text, 200);
}

export function message(content: AdaptiveCard, summary: string): TeamsMessage {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content }] };
}

/** What Teams counts against its limit, in JSON characters: base64 images are not counted (Teams' docs). */
export function messageSize(m: unknown): number {
  return JSON.stringify(m).replace(/data:image\/png;base64,[A-Za-z0-9+/=]*/g, '').length;
}

/** Everything around the cards: what fitMessage keeps whole while it tightens or drops cards. */
export interface Frame {
  head: CardElement[];
  tail?: CardElement[];
  actions?: CardAction[];
  entities?: Mention[];
  summary: string;
}

/** The cards inside the frame, at the most generous level that fits; past the sparest, cards are dropped. */
export function fitMessage(frame: Frame, cards: readonly Card[], o: RenderOptions = {}): TeamsMessage {
  const msteams = frame.entities?.length ? { entities: frame.entities } : undefined;
  const build = (shown: readonly Card[], level: Level, note: boolean): TeamsMessage => {
    const items = [...frame.head, ...body(shown, level, o), ...(frame.tail ?? [])];
    if (note) items.push(textBlock(SHORTENED, { isSubtle: true, size: 'Small', separator: true }));
    if (items.length === 0) items.push(textBlock('Nothing to show.', { isSubtle: true }));
    return message(card(items, frame.actions ?? [], msteams), frame.summary);
  };
  for (const level of LEVELS) {
    const m = build(cards, level, false);
    if (messageSize(m) <= MAX_MESSAGE_CHARS) return m;
  }
  const sparest = LEVELS[LEVELS.length - 1] as Level;
  for (let n = cards.length - 1; n > 0; n -= 1) {
    const m = build(cards.slice(0, n), sparest, true);
    if (messageSize(m) <= MAX_MESSAGE_CHARS) return m;
  }
  return build([], sparest, true);
}

export function renderReply(reply: Reply, o: RenderOptions = {}): TeamsMessage {
  const top = head(reply);
  const actions =
    reply.more && !o.compact && reply.more.length <= 1000 ? [submit(NEXT_PAGE_LABEL, reply.more)] : [];
  return fitMessage(
    { head: top.items, entities: top.entities, actions, summary: summaryText(reply) },
    reply.cards,
    o,
  );
}
