// Block Kit's limits (PLATFORM-FACTS §3) and the last guard that makes any block list fit them.
// Renderers aim under these limits; this module guarantees no payload Slack would reject is ever sent.

import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  placeholderText: 150,
  actionsElements: 25,
  contextElements: 10,
  id: 255,
  /** Slack refused messages near 13k characters of block text (msg_blocks_too_long) though every documented limit held. */
  messageText: 12_000,
  /** Top-level `text` is only the notification fallback; keep it short. */
  fallbackText: 300,
} as const;

const ELLIPSIS = '…';

function textOf(object: { text: string } | undefined): number {
  return object ? object.text.length : 0;
}

/** All characters of text a block carries (what Slack's message-size check seems to count). */
export function blockTextLength(block: KnownBlock): number {
  switch (block.type) {
    case 'section':
      return textOf(block.text) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'header':
      return block.text.text.length;
    case 'context':
      return block.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
    case 'actions':
      return block.elements.reduce((n, e) => {
        if (e.type === 'button') return n + e.text.text.length + (e.value?.length ?? 0);
        if (e.type === 'static_select')
          return n + (e.options ?? []).reduce((m, o) => m + o.text.text.length + (o.value?.length ?? 0), 0);
        return n;
      }, 0);
    default:
      return 0;
  }
}

export function messageTextLength(blocks: readonly KnownBlock[]): number {
  return blocks.reduce((n, b) => n + blockTextLength(b), 0);
}

/** Cuts mrkdwn without leaving half an entity ("&am"), a dangling link ("<https://…") or an open marker. */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  cut = cut.replace(/&[a-z]*$/i, '');
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  // An odd number of markers would leave formatting open (and show stray characters).
  for (const marker of ['*', '_', '~']) {
    const count = cut.split(marker).length - 1;
    if (count % 2 === 1) cut = cut.slice(0, cut.lastIndexOf(marker));
  }
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

function fitSection(block: types.SectionBlock): types.SectionBlock {
  if (!block.text || block.text.text.length <= LIMITS.sectionText) return block;
  return { ...block, text: { ...block.text, text: cutMrkdwn(block.text.text, LIMITS.sectionText) } };
}

/**
 * Makes a block list acceptable to Slack whatever the renderers produced: sections and headers cut,
 * over-long ids and values dropped, then blocks removed from the end until count and total text fit.
 * `note` (a context block) is appended when something had to go, so the reader knows.
 */
export function enforceLimits(
  blocks: readonly KnownBlock[],
  options: { maxBlocks?: number; maxText?: number; note?: KnownBlock } = {},
): KnownBlock[] {
  const maxBlocks = options.maxBlocks ?? LIMITS.blocksPerMessage;
  const maxText = options.maxText ?? LIMITS.messageText;
  let out: KnownBlock[] = blocks.map((block) => {
    if (block.block_id && block.block_id.length > LIMITS.id) {
      const { block_id: _dropped, ...rest } = block;
      block = rest as KnownBlock;
    }
    if (block.type === 'section') return fitSection(block);
    if (block.type === 'header' && block.text.text.length > LIMITS.headerText)
      return { ...block, text: { ...block.text, text: cutMrkdwn(block.text.text, LIMITS.headerText) } };
    if (block.type === 'context')
      return { ...block, elements: block.elements.slice(0, LIMITS.contextElements) };
    if (block.type === 'actions') {
      const elements = block.elements.filter(
        (e) =>
          (e.type !== 'button' || (e.value ?? '').length <= LIMITS.buttonValue) &&
          (!('action_id' in e) || (e.action_id ?? '').length <= LIMITS.id),
      );
      return { ...block, elements: elements.slice(0, LIMITS.actionsElements) };
    }
    return block;
  });
  out = out.filter((b) => b.type !== 'actions' || b.elements.length > 0);
  const noteCost = options.note ? blockTextLength(options.note) : 0;
  const fits = (list: KnownBlock[], withNote: boolean): boolean =>
    list.length + (withNote ? 1 : 0) <= maxBlocks &&
    messageTextLength(list) + (withNote ? noteCost : 0) <= maxText;
  if (fits(out, false)) return out;
  const withNote = options.note !== undefined;
  while (out.length > 0 && !fits(out, withNote)) out.pop();
  // A trailing divider looks like a rendering bug.
  while (out[out.length - 1]?.type === 'divider') out.pop();
  if (options.note) out.push(options.note);
  return out;
}
