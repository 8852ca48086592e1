// Slack mrkdwn from untrusted text: entity escaping, neutralised control characters, safe links, truncation.
// Every string that came from PubMed, ClinicalTrials.gov or a user passes through here before it is sent.

import type { RichText, Span } from '../../src/core/article';
import { safeUrl as webUrl } from '../../src/core/present/links';
import type { Ink } from '../../src/core/present/marks';
import { scriptText, truncateRich } from '../../src/core/richtext';

const ELLIPSIS = '…';

/**
 * Slack's formatting markers have no escape, so record text gets look-alikes that Slack does not parse:
 * "HLA-B*57:01" still reads the same, but "*bold*" or "~x~" in a title can no longer format anything.
 */
const LOOKALIKES: Record<string, string> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\uff3f', // ＿ fullwidth low line
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
};

/** Only &, < and > are entities in Slack text; everything else is literal. */
export function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Record text as inert mrkdwn: no mention (<!here>, @channel), no link (<url|…>, bare URLs), no emoji
 * shortcode (a title cannot fake our ":warning:"), no formatting, no blockquote. Newlines become spaces.
 */
export function escapeMrkdwn(text: string): string {
  let out = escapeEntities(text.replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' '));
  out = out.replace(/[*_~`]/g, (c) => LOOKALIKES[c] ?? c);
  // Bare mentions and auto-links: a word joiner keeps the text readable but unparsable.
  out = out.replace(/@(?=(?:here|channel|everyone)\b)/gi, '@\u2060');
  out = out.replace(/:\/\//g, ':\u2060//');
  out = out.replace(/:(?=[A-Za-z0-9+'-][^\s:]*:)/g, ':\u2060');
  // "&gt;" opening a line would start a blockquote.
  if (out.startsWith('&gt;')) out = `\u2060${out}`;
  return out;
}

/** Text for a code block: entities escaped, backticks replaced so the block cannot be closed early. */
export function escapeCode(text: string): string {
  return escapeEntities(text.replace(/`/g, LOOKALIKES['`'] ?? "'"));
}

const WORDISH = /[\p{L}\p{N}]/u;

function styled(span: Span, before: string, after: string): string {
  const escaped = escapeMrkdwn(span.text);
  const style = span.style ?? [];
  const italic = style.includes('italic');
  const bold = style.includes('bold');
  if (!italic && !bold) return escaped;
  const match = /^(\s*)(.*?)(\s*)$/s.exec(escaped);
  const [lead, core, trail] = [match?.[1] ?? '', match?.[2] ?? '', match?.[3] ?? ''];
  // Slack only honours markers at word boundaries; inside a word they would show as stray characters.
  const prev = lead ? ' ' : before;
  const next = trail ? ' ' : after;
  if (!core || WORDISH.test(prev) || WORDISH.test(next)) return escaped;
  let marked = core;
  if (italic) marked = `_${marked}_`;
  if (bold) marked = `*${marked}*`;
  return `${lead}${marked}${trail}`;
}

function sameStyle(a: Span, b: Span): boolean {
  const x = (a.style ?? []).filter((s) => s === 'italic' || s === 'bold').sort();
  const y = (b.style ?? []).filter((s) => s === 'italic' || s === 'bold').sort();
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

function emphasised(span: Span): boolean {
  return span.style !== undefined && (span.style.includes('italic') || span.style.includes('bold'));
}

/** Rich text (PubMed's <i>, <b>, <sup> …) as inert mrkdwn keeping italics and bold; sup/sub as Unicode. */
export function richToMrkdwn(rich: RichText): string {
  // Without italics or bold the spans merge into one plain run: most titles, every author line.
  if (!rich.some(emphasised)) return escapeMrkdwn(rich.map(scriptText).join(''));
  const merged: Span[] = [];
  for (const span of rich.map((s) => ({ ...s, text: scriptText(s) }))) {
    const last = merged[merged.length - 1];
    if (last && sameStyle(last, span)) merged[merged.length - 1] = { ...last, text: last.text + span.text };
    else merged.push(span);
  }
  let out = '';
  merged.forEach((span, i) => {
    const before = merged[i - 1]?.text.slice(-1) ?? '';
    const after = merged[i + 1]?.text.slice(0, 1) ?? '';
    out += styled(span, before, after);
  });
  return out;
}

/** Rich text rendered within `max` characters of mrkdwn (markup and entities counted), cut with "…". */
export function fitRich(rich: RichText, max: number): string {
  let budget = Math.min(
    max,
    rich.reduce((length, span) => length + span.text.length, 0),
  );
  for (let i = 0; i < 12; i += 1) {
    const out = richToMrkdwn(truncateRich(rich, budget));
    if (out.length <= max) return out;
    // Escaping lengthens text ("&" is five characters as "&amp;"): shrink in proportion, by one at least.
    budget = Math.min(budget - 1, Math.floor((budget * max) / out.length));
    if (budget <= 1) break;
  }
  return ELLIPSIS;
}

/** Plain untrusted text as inert mrkdwn within `max` characters, cut with "…". */
export function fitMrkdwn(text: string, max: number): string {
  // What fitRich's first round yields when nothing needs cutting.
  if (text.length <= max) {
    const out = escapeMrkdwn(text);
    if (out.length <= max) return out;
  }
  return fitRich([{ text }], max);
}

/** Our own plain_text (labels, headers): cut to `max` with "…". Never used for record text in mrkdwn. */
export function fitPlain(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${flat.slice(0, Math.max(0, max - 1)).trimEnd()}${ELLIPSIS}`;
}

/**
 * A URL safe inside <url|label>: the card model's check (http(s) only; "|", "<", ">" and the like, which DOIs
 * may contain, percent-encoded), and "&" as an entity, as Slack's mrkdwn wants it.
 */
export function safeUrl(url: string): string | undefined {
  return webUrl(url)?.replace(/&/g, '&amp;');
}

/** A link whose label is already-escaped mrkdwn; without a usable URL it is just the label. */
export function link(url: string | undefined, labelMrkdwn: string): string {
  const safe = url ? safeUrl(url) : undefined;
  // Labels arrive escaped (no ">" can close the link early); a second "|" is replaced so no parser can
  // mistake part of a title for the URL.
  return safe ? `<${safe}|${labelMrkdwn.replace(/\|/g, '\u2223')}>` : labelMrkdwn;
}

/** A Slack user mention from an id Slack gave us; anything else is dropped rather than trusted. */
export function userMention(id: string | undefined): string | undefined {
  return id && /^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : undefined;
}

/** How the card model writes into Slack: record text as escaped mrkdwn, emoji by shortcode. */
export const SLACK_INK: Ink = { fit: fitMrkdwn, mark: (e) => `:${e.name}:` };
