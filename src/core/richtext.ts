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

// Every character Unicode has a superscript or subscript form for; the letters are the ones it lacks fewest of.
const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ',
  n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ',
}; // prettier-ignore
const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
  a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ',
  t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ',
}; // prettier-ignore

function mapAll(text: string, map: Record<string, string>): string | undefined {
  let out = '';
  for (const c of text) {
    const mapped = map[c];
    if (mapped === undefined) return undefined;
    out += mapped;
  }
  return out;
}

/**
 * A span's text as every renderer shows it: "10<sup>9</sup>" reads "10⁹", "MIC<sub>50</sub>" "MIC₅₀"; a
 * script with any character Unicode lacks stays plain ("MIC50"), never half-converted or marked "_50".
 */
export function scriptText(span: Span): string {
  if (hasStyle(span, 'sup')) return mapAll(span.text, SUPERSCRIPT) ?? span.text;
  if (hasStyle(span, 'sub')) return mapAll(span.text, SUBSCRIPT) ?? span.text;
  return span.text;
}
