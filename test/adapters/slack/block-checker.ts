// An independent check of Block Kit payloads against Slack's documented limits (PLATFORM-FACTS §3) and
// our safety rules; written from the limits, not from the renderer, so a renderer bug makes tests fail.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/** Links we emit ourselves; record text must never add another. */
const OUR_LINK =
  /^<https:\/\/(pubmed\.ncbi\.nlm\.nih\.gov|doi\.org|pmc\.ncbi\.nlm\.nih\.gov|clinicaltrials\.gov)\/[^\s|<>]*\|[^<>]*>$/;
/** User mentions (shares) and channel links (private notices about a channel). */
const MENTION = /^<(?:@[UW]|#[CG])[A-Z0-9]+>$/;

export interface CheckOptions {
  maxBlocks?: number;
  maxText?: number;
}

/** Every mrkdwn/plain text string in the payload (what a reader could see). */
export function allTexts(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: Json | undefined): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      if ((v.type === 'mrkdwn' || v.type === 'plain_text') && typeof v.text === 'string') out.push(v.text);
      for (const [k, child] of Object.entries(v)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(blocks as Json);
  return out;
}

/** Returns the problems found; an empty list means Slack would accept it and nothing unsafe is in it. */
export function checkBlocks(payload: unknown, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const blocks = arr(payload as Json);
  const maxBlocks = options.maxBlocks ?? 50;
  if (blocks.length === 0) problems.push('no blocks');
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const blockIds = new Set<string>();
  let total = 0;
  blocks.forEach((b, i) => {
    if (!isObj(b)) return void problems.push(`block ${i} is not an object`);
    const where = `block ${i} (${str(b.type)})`;
    const id = str(b.block_id);
    if (id.length > 255) problems.push(`${where}: block_id ${id.length} > 255`);
    if (id && blockIds.has(id)) problems.push(`${where}: duplicate block_id ${id}`);
    if (id) blockIds.add(id);
    if (b.type === 'section') {
      const t = str(isObj(b.text) ? b.text.text : null);
      if (!t) problems.push(`${where}: empty text`);
      if (t.length > 3000) problems.push(`${where}: text ${t.length} > 3000`);
      total += t.length;
    } else if (b.type === 'header') {
      const t = str(isObj(b.text) ? b.text.text : null);
      if (!isObj(b.text) || b.text.type !== 'plain_text')
        problems.push(`${where}: header must be plain_text`);
      if (t.length > 150) problems.push(`${where}: header ${t.length} > 150`);
      total += t.length;
    } else if (b.type === 'context') {
      const els = arr(b.elements);
      if (els.length === 0 || els.length > 10) problems.push(`${where}: ${els.length} context elements`);
      for (const e of els) {
        const t = str(isObj(e) ? e.text : null);
        if (t.length > 3000) problems.push(`${where}: context text ${t.length}`);
        total += t.length;
      }
    } else if (b.type === 'actions') {
      const els = arr(b.elements);
      if (els.length === 0 || els.length > 25) problems.push(`${where}: ${els.length} action elements`);
      const actionIds = new Set<string>();
      for (const e of els) {
        if (!isObj(e)) continue;
        const aid = str(e.action_id);
        if (!aid || aid.length > 255) problems.push(`${where}: action_id "${aid}"`);
        if (actionIds.has(aid)) problems.push(`${where}: duplicate action_id ${aid}`);
        actionIds.add(aid);
        if (e.type === 'button') {
          const t = str(isObj(e.text) ? e.text.text : null);
          if (!t || t.length > 75) problems.push(`${where}: button text ${t.length}`);
          if (str(e.value).length > 2000)
            problems.push(`${where}: button value ${str(e.value).length} > 2000`);
          total += t.length + str(e.value).length;
        } else if (e.type === 'static_select' || e.type === 'overflow') {
          const opts = arr(e.options);
          if (opts.length === 0 || opts.length > 100) problems.push(`${where}: ${opts.length} options`);
          for (const o of opts) {
            if (!isObj(o)) continue;
            const t = str(isObj(o.text) ? o.text.text : null);
            if (!t || t.length > 75) problems.push(`${where}: option text ${t.length}`);
            if (str(o.value).length > 150)
              problems.push(`${where}: option value ${str(o.value).length} > 150`);
            total += t.length + str(o.value).length;
          }
        } else problems.push(`${where}: unexpected element ${str(e.type)}`);
      }
    } else if (b.type === 'image') {
      // Slack's image block: alt_text (≤ 2000) and exactly one source, a public URL or a Slack file by id.
      const alt = str(b.alt_text);
      if (!alt || alt.length > 2000) problems.push(`${where}: alt_text ${alt.length}`);
      const file = isObj(b.slack_file) ? b.slack_file : undefined;
      const sources = (b.image_url !== undefined ? 1 : 0) + (file ? 1 : 0);
      if (sources !== 1) problems.push(`${where}: needs exactly one of image_url and slack_file`);
      if (file && (file.id === undefined) === (file.url === undefined))
        problems.push(`${where}: slack_file needs exactly one of id and url`);
    } else if (b.type !== 'divider') problems.push(`${where}: unexpected block type`);
  });
  if (total > (options.maxText ?? 12_000))
    problems.push(`total text ${total} > ${options.maxText ?? 12_000}`);
  for (const text of allTexts(blocks)) problems.push(...unsafe(text));
  return problems;
}

/** Angle brackets are only ever our own links and mentions; raw markup from a record shows up here. */
export function unsafe(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/<[^>]*>?/g)) {
    if (!OUR_LINK.test(m[0]) && !MENTION.test(m[0]))
      problems.push(`unexpected markup ${JSON.stringify(m[0])}`);
  }
  if (/<!(channel|here|everyone)/.test(text)) problems.push('broadcast mention');
  if (/(^|[^\u2060])@(here|channel|everyone)\b/i.test(text))
    problems.push(`bare @-mention in ${JSON.stringify(text.slice(0, 80))}`);
  if (/&(?!(amp|lt|gt);)/.test(text)) problems.push(`unescaped & in ${JSON.stringify(text.slice(0, 80))}`);
  return problems;
}
