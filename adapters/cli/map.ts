// An evidence map in the terminal: the counts by level as a table, the years as a sparkline, and the
// PubMed search behind every number. Numbers and words are the card's; only the layout is made here.

import type { MapCard } from '../../src/core/reply';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * One character per value, scaled from 0 to the largest: `?` for a value the source did not give, a space
 * for 0 (nothing to draw), and at least ▁ for any record at all, so a small year never reads as none.
 */
export function sparkline(values: readonly (number | undefined)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values
    .map((v) => {
      if (v === undefined) return '?';
      if (v <= 0 || max === 0) return ' ';
      const index = Math.ceil((v / max) * BLOCKS.length) - 1;
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, index))] ?? '▁';
    })
    .join('');
}

export interface MapPaint {
  bold: (s: string) => string;
  dim: (s: string) => string;
  /** Strips control characters from outside text. */
  clean: (s: string) => string;
}

export function mapLines(card: MapCard, p: MapPaint): string[] {
  const labelWidth = Math.max(...card.levels.map((l) => l.label.length));
  const countWidth = Math.max(...card.levels.map((l) => l.countText.length));
  const out = [
    p.bold(p.clean(card.title)),
    `${card.total.label}: ${card.total.countText}`,
    '',
    p.bold(card.levelsHeading),
    ...card.levels.map((l) => `  ${l.label.padEnd(labelWidth)}  ${l.countText.padStart(countWidth)}`),
    '',
    p.bold(card.yearsHeading),
  ];
  const first = card.years[0];
  const last = card.years[card.years.length - 1];
  if (first && last) {
    out.push(`  ${first.year} ${sparkline(card.years.map((y) => y.count))} ${last.year}`);
    out.push(`  ${card.years.map((y) => `${y.year}: ${y.countText}`).join(' · ')}`);
  }
  if (card.notes.length) out.push('', ...card.notes.map((n) => p.dim(n)));
  out.push(
    '',
    p.bold('PubMed searches'),
    `  ${card.total.label}: ${p.clean(card.total.search)}`,
    ...card.levels.map((l) => `  ${l.label}: ${p.clean(l.search)}`),
  );
  if (last) out.push(`  ${last.year} (each year alike): ${p.clean(last.search)}`);
  return out;
}
