// A chart's SVG as PNG bytes through resvg (a Rust rasterizer shipped as a prebuilt binary in its npm
// package; no browser). Fonts: DejaVu Sans from its file when installed, else whatever the system has.

import fs from 'node:fs';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type { ChartSpec } from '../core/present/evidence-map';
import { CHART_FONT, chartSvg } from './svg';

/** Where Debian's fonts-dejavu-core (the Docker image installs it) puts the two faces the chart uses. */
export const CHART_FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
}

/**
 * The font files present, loaded alone (fast, and the same glyphs everywhere); without them, the system's
 * fonts (slower to scan, and text in whatever sans-serif they hold).
 */
export function fontOptions(exists: (file: string) => boolean = fs.existsSync): ResvgRenderOptions['font'] {
  const files = CHART_FONT_FILES.filter((f) => exists(f));
  if (files.length === 0) return { loadSystemFonts: true };
  return {
    fontFiles: files,
    loadSystemFonts: false,
    defaultFontFamily: CHART_FONT,
    sansSerifFamily: CHART_FONT,
  };
}

/** Rasterizes on libuv's thread pool (renderAsync), so the event loop keeps acking while it draws. */
export async function svgToPng(svg: string): Promise<ChartImage> {
  // Loaded on first use: the native binding is needed only by the chat adapters that post images.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderAsync } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const image = await renderAsync(svg, { font: fontOptions(), background: '#ffffff', logLevel: 'off' });
  return { png: image.asPng(), width: image.width, height: image.height };
}

export function chartPng(spec: ChartSpec): Promise<ChartImage> {
  return svgToPng(chartSvg(spec));
}
