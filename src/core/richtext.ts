// Small pure helpers over RichText (the neutral inline-markup form parsers produce).
// Renderers map spans to their own markup; everything here stays platform-neutral.

import type { RichText, Span } from './article';

/** The plain text of rich text (what NCT scanning, the library index and plain renderers use). */
export function plainText(rich: RichText): string {
  // Most titles and abstract sections are one span: no concatenation for them.
  if (rich.length === 1) return rich[0]?.text ?? '';
  let out = '';
  for (const span of rich) out += span.text;
  return out;
}

export function hasStyle(span: Span, style: NonNullable<Span['style']>[number]): boolean {
  return span.style?.includes(style) ?? false;
}

/** Cuts rich text to at most `max` characters of text, ending with "…" when something was cut. */
export function truncateRich(rich: RichText, max: number): RichText {
  const out: RichText = [];
  let left = max;
  for (const span of rich) {
    if (span.text.length <= left) {
      out.push(span);
      left -= span.text.length;
      continue;
    }
    const cut = span.text.slice(0, Math.max(0, left - 1)).trimEnd() + '…';
    out.push(span.style ? { text: cut, style: span.style } : { text: cut });
    return out;
  }
  return out;
}
