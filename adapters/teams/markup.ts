// The few pieces of Teams message markup incoming.ts reads (<at>…</at> mentions, formatting tags), found in
// one pass each: the regular expressions they replace took seconds on '<p'.repeat(100000). Meaning is incoming.ts's.

export interface AtTag {
  /** Where the opening `<at…>` starts and just past the closing `</at>`. */
  start: number;
  end: number;
  inner: string;
}

/**
 * Every `<at…>inner</at>`, left to right and not overlapping, exactly as /<at[^>]*>([\s\S]*?)<\/at>/gi
 * finds them. Each search starts where the previous one stopped, so the whole text is read a bounded number
 * of times; once no `>` or no `</at>` remains, no later tag can match and the scan stops.
 */
export function atTags(text: string): AtTag[] {
  const lower = text.toLowerCase();
  const tags: AtTag[] = [];
  let from = 0;
  for (;;) {
    const start = lower.indexOf('<at', from);
    if (start === -1) break;
    const open = lower.indexOf('>', start + 3);
    if (open === -1) break;
    const close = lower.indexOf('</at>', open + 1);
    if (close === -1) break;
    tags.push({ start, end: close + 5, inner: text.slice(open + 1, close) });
    from = close + 5;
  }
  return tags;
}

/** Replaces each tag with what `replace` returns for its inner text. */
export function replaceAtTags(text: string, replace: (inner: string) => string): string {
  const parts: string[] = [];
  let last = 0;
  for (const tag of atTags(text)) {
    parts.push(text.slice(last, tag.start), replace(tag.inner));
    last = tag.end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

const WORD = /[A-Za-z0-9_]/;
/** Longer than any tag name incoming.ts strips ("strong"). */
const MAX_NAME = 6;

/**
 * Each opening or closing tag named in `names` (lower case), attributes and all, replaced by a space: what
 * /<\/?(?:p|div|…)\b[^>]*>/gi does. The position of the next `>` is remembered, so a run of `<` without one
 * is not searched to the end again for each `<`.
 */
export function spaceOutTags(text: string, names: ReadonlySet<string>): string {
  const parts: string[] = [];
  let last = 0;
  let nextGt = -2; // -2: not looked for yet; -1: none left
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    let nameStart = i + 1;
    if (text[nameStart] === '/') nameStart += 1;
    let nameEnd = nameStart;
    // One character past the longest name is enough to tell a longer word from every name.
    while (nameEnd - nameStart <= MAX_NAME && WORD.test(text[nameEnd] ?? '')) nameEnd += 1;
    if (!names.has(text.slice(nameStart, nameEnd).toLowerCase())) continue;
    if (nextGt !== -1 && nextGt < nameEnd) nextGt = text.indexOf('>', nameEnd);
    if (nextGt === -1) break;
    parts.push(text.slice(last, i), ' ');
    last = nextGt + 1;
    i = nextGt;
  }
  parts.push(text.slice(last));
  return parts.join('');
}
