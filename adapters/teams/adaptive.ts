// The slice of Adaptive Cards 1.5 that Teams renders and paperbot uses, with small builders.
// Record text always travels in TextRun (never parsed as Markdown); TextBlock carries only our own chrome.

import { safeUrl } from '../../src/core/present/links';
import type { Ink } from '../../src/core/present/marks';

export type Color = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type Size = 'Small' | 'Default' | 'Medium' | 'Large';
export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** Teams posts `data` back to the bot as a message activity whose `value` is this object. */
export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: { command: string };
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: AdaptiveCard;
}

export type CardAction = OpenUrlAction | SubmitAction | ShowCardAction;

export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  italic?: boolean;
  isSubtle?: boolean;
  color?: Color;
  size?: Size;
  fontType?: 'Monospace';
  selectAction?: OpenUrlAction;
}

interface Layout {
  spacing?: Spacing;
  separator?: boolean;
}

export interface RichTextBlock extends Layout {
  type: 'RichTextBlock';
  inlines: TextRun[];
}

export interface TextBlock extends Layout {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: Size;
  color?: Color;
  isSubtle?: boolean;
}

export interface Container extends Layout {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
}

export interface ActionSet extends Layout {
  type: 'ActionSet';
  actions: CardAction[];
}

/** An image; Teams shows data: URIs too, and does not count their base64 against the message size limit. */
export interface ImageElement extends Layout {
  type: 'Image';
  url: string;
  altText: string;
  size?: 'Auto' | 'Stretch';
}

export type CardElement = TextBlock | RichTextBlock | Container | ActionSet | ImageElement;

export interface Mention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  msteams?: { width?: 'Full'; entities?: Mention[] };
}

export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
export const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

const ELLIPSIS = '…';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Control characters and line/paragraph separators become spaces; runs of whitespace collapse. */
export function clean(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** Cleaned and cut to at most `max` characters, ending with "…" when something was cut. */
export function fit(text: string, max: number): string {
  const flat = clean(text);
  if (flat.length <= max) return flat;
  return `${flat.slice(0, Math.max(0, max - 1)).trimEnd()}${ELLIPSIS}`;
}

/** Links go through the card model's one URL check (http(s) only, unsafe characters percent-encoded). */
export { safeUrl };

/** How the card model writes into Teams: record text cleaned and cut (it travels in TextRuns), emoji as Unicode. */
export const TEAMS_INK: Ink = { fit, mark: (e) => e.char };

export function run(text: string, o: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  return { type: 'TextRun', text, ...o };
}

/** A run that opens `url` when clicked; without a usable URL it is plain text. */
export function linkRun(
  text: string,
  url: string | undefined,
  o: Omit<TextRun, 'type' | 'text'> = {},
): TextRun {
  const safe = safeUrl(url);
  return safe ? run(text, { ...o, selectAction: openUrl(text, safe) }) : run(text, o);
}

export function rich(inlines: TextRun[], layout: Layout = {}): RichTextBlock {
  return { type: 'RichTextBlock', inlines, ...layout };
}

/** Our own words only: TextBlock text is Markdown in Teams. */
export function textBlock(text: string, o: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...o };
}

export function container(items: CardElement[], o: Omit<Container, 'type' | 'items'> = {}): Container {
  return { type: 'Container', items, ...o };
}

export function actionSet(actions: CardAction[], layout: Layout = {}): ActionSet {
  return { type: 'ActionSet', actions, ...layout };
}

export function submit(title: string, command: string): SubmitAction {
  return { type: 'Action.Submit', title, data: { command } };
}

export function openUrl(title: string, url: string): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url };
}

export function card(
  body: CardElement[],
  actions: CardAction[] = [],
  msteams?: AdaptiveCard['msteams'],
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full', ...msteams },
  };
}
