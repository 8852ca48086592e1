// PubMed's inline markup (RichText spans) as Adaptive Card TextRuns: italics and bold kept, sup/sub as
// Unicode where every character has a form, within a character budget. Pure; no card layout here.

import type { RichText, Span } from '../../src/core/article';
import { scriptText, truncateRich } from '../../src/core/richtext';
import { run, type TextRun } from './adaptive';

/** Spaces are kept at the edges (they separate runs); control characters and newlines become spaces. */
function flat(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ');
}

function spanText(span: Span): string {
  return flat(scriptText(span));
}

function key(span: Span): string {
  const s = span.style ?? [];
  return `${s.includes('italic') ? 'i' : ''}${s.includes('bold') ? 'b' : ''}`;
}

/**
 * Rich text as runs sharing `base` (size, colour, link), cut to `max` characters with "…". Neighbouring
 * spans that look the same are merged, so a title costs a handful of runs, not one per tag.
 */
export function richRuns(rich: RichText, max: number, base: Omit<TextRun, 'type' | 'text'> = {}): TextRun[] {
  const merged: { text: string; key: string }[] = [];
  for (const span of truncateRich(rich, max)) {
    const text = spanText(span);
    const k = key(span);
    const last = merged[merged.length - 1];
    if (last && last.key === k) last.text += text;
    else merged.push({ text, key: k });
  }
  const first = merged[0];
  if (first) first.text = first.text.trimStart();
  const last = merged[merged.length - 1];
  if (last) last.text = last.text.trimEnd();
  return merged
    .filter((m) => m.text.length > 0)
    .map((m) =>
      run(m.text, {
        ...base,
        ...(m.key.includes('i') ? { italic: true } : {}),
        ...(m.key.includes('b') ? { weight: 'Bolder' as const } : {}),
      }),
    );
}

/** Plain record text as one run within `max` characters. */
export function plainRuns(text: string, max: number, base: Omit<TextRun, 'type' | 'text'> = {}): TextRun[] {
  return richRuns([{ text }], max, base);
}
