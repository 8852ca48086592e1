// PubMed's inline markup (RichText spans) as Adaptive Card TextRuns: italics and bold kept, sup/sub as
// Unicode where every character has a form, within a character budget. Pure; no card layout here.

import type { RichText, Span } from '../../src/core/article';
import { truncateRich } from '../../src/core/richtext';
import { run, type TextRun } from './adaptive';

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ',
}; // prettier-ignore
const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
}; // prettier-ignore

/** "10<sup>9</sup>" reads "10⁹"; a script with a character Unicode lacks stays as plain text. */
function script(text: string, map: Record<string, string>): string {
  let out = '';
  for (const c of text) {
    const mapped = map[c];
    if (mapped === undefined) return text;
    out += mapped;
  }
  return out;
}

/** Spaces are kept at the edges (they separate runs); control characters and newlines become spaces. */
function flat(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ');
}

function spanText(span: Span): string {
  const text = flat(span.text);
  if (span.style?.includes('sup')) return script(text, SUPERSCRIPT);
  if (span.style?.includes('sub')) return script(text, SUBSCRIPT);
  return text;
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
