// A chart as SVG text, from the core's ChartSpec: horizontal bars (counts by level) above columns (counts by
// year). Pure and deterministic: same spec, same bytes. Every text from outside is escaped; sizes are fixed.

import type { ChartSeries, ChartSpec } from '../core/present/evidence-map';

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 640;
/** One family the rasterizer is given a file for (png.ts); generic sans-serif where it is missing. */
export const CHART_FONT = 'DejaVu Sans';

const INK = '#1f2937';
const MUTED = '#6b7280';
const GRID = '#e5e7eb';
const BAR = '#1d3557';
const COLUMN = '#457b9d';
const UNKNOWN = '#9ca3af';

const MARGIN = 32;
const LABEL_WIDTH = 230;
const VALUE_ROOM = 90;
const BAR_ROW = 26;
const BAR_HEIGHT = 18;
const COLUMNS_TOP = 380;
const COLUMNS_BASE = 570;

/** Text as SVG character data or an attribute value: the five XML specials, and no control characters. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Cuts text to about `px` pixels at `size` (DejaVu Sans averages ~0.6 em a character), with an ellipsis. */
export function fitText(text: string, px: number, size: number): string {
  const max = Math.max(1, Math.floor(px / (size * 0.6)));
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function text(
  x: number,
  y: number,
  content: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; bold?: boolean; fill?: string },
): string {
  const anchor = o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : '';
  const weight = o.bold ? ' font-weight="bold"' : '';
  return `<text x="${x}" y="${y}" font-size="${o.size}"${anchor}${weight} fill="${o.fill ?? INK}">${escapeXml(content)}</text>`;
}

const round = (n: number): number => Math.round(n * 10) / 10;

function maxOf(series: ChartSeries): number {
  return Math.max(0, ...series.items.map((i) => i.value ?? 0));
}

function bars(series: ChartSeries, top: number): string[] {
  const out = [
    text(MARGIN, top, fitText(series.heading, CHART_WIDTH - 2 * MARGIN, 15), { size: 15, bold: true }),
  ];
  const x0 = MARGIN + LABEL_WIDTH;
  const room = CHART_WIDTH - MARGIN - VALUE_ROOM - x0;
  const max = maxOf(series);
  series.items.forEach((item, i) => {
    const y = top + 14 + i * BAR_ROW;
    const mid = y + BAR_HEIGHT / 2 + 4;
    out.push(text(x0 - 8, mid, fitText(item.label, LABEL_WIDTH - 8, 13), { size: 13, anchor: 'end' }));
    if (item.value === undefined) {
      out.push(
        `<rect x="${x0}" y="${y}" width="40" height="${BAR_HEIGHT}" fill="none" stroke="${UNKNOWN}" stroke-dasharray="4 3"/>`,
        text(x0 + 48, mid, item.valueText, { size: 12, fill: MUTED }),
      );
      return;
    }
    const width = max > 0 ? round((item.value / max) * room) : 0;
    if (width > 0)
      out.push(`<rect x="${x0}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${BAR}"/>`);
    out.push(text(round(x0 + width + 6), mid, item.valueText, { size: 12 }));
  });
  return out;
}

function columns(series: ChartSeries): string[] {
  const out = [
    text(MARGIN, COLUMNS_TOP - 34, fitText(series.heading, CHART_WIDTH - 2 * MARGIN, 15), {
      size: 15,
      bold: true,
    }),
    `<line x1="${MARGIN}" y1="${COLUMNS_BASE}" x2="${CHART_WIDTH - MARGIN}" y2="${COLUMNS_BASE}" stroke="${GRID}"/>`,
  ];
  const n = Math.max(1, series.items.length);
  const slot = (CHART_WIDTH - 2 * MARGIN) / n;
  const width = round(slot * 0.7);
  const height = COLUMNS_BASE - COLUMNS_TOP;
  const max = maxOf(series);
  series.items.forEach((item, i) => {
    const center = round(MARGIN + slot * i + slot / 2);
    const x = round(center - width / 2);
    out.push(text(center, COLUMNS_BASE + 16, fitText(item.label, slot, 11), { size: 11, anchor: 'middle' }));
    if (item.value === undefined) {
      out.push(
        `<rect x="${x}" y="${COLUMNS_BASE - 24}" width="${width}" height="24" fill="none" stroke="${UNKNOWN}" stroke-dasharray="4 3"/>`,
        text(center, COLUMNS_BASE - 30, fitText(item.valueText, slot, 9), {
          size: 9,
          anchor: 'middle',
          fill: MUTED,
        }),
      );
      return;
    }
    const h = max > 0 ? round((item.value / max) * height) : 0;
    if (h > 0)
      out.push(
        `<rect x="${x}" y="${round(COLUMNS_BASE - h)}" width="${width}" height="${h}" fill="${COLUMN}"/>`,
      );
    out.push(
      text(center, round(COLUMNS_BASE - h - 4), fitText(item.valueText, slot, 9), {
        size: 9,
        anchor: 'middle',
      }),
    );
  });
  return out;
}

/** The whole chart, CHART_WIDTH × CHART_HEIGHT, white background, text in CHART_FONT. */
export function chartSvg(spec: ChartSpec): string {
  const body = [
    `<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    text(MARGIN, 38, fitText(spec.title, CHART_WIDTH - 2 * MARGIN, 20), { size: 20, bold: true }),
    ...bars(spec.bars, 76),
    ...columns(spec.columns),
    text(MARGIN, CHART_HEIGHT - 18, fitText(spec.footer, CHART_WIDTH - 2 * MARGIN, 11), {
      size: 11,
      fill: MUTED,
    }),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${CHART_FONT}, sans-serif">`,
    ...body,
    '</svg>',
  ].join('\n');
}
