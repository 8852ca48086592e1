// The chart: SVG from a ChartSpec (pure, escaped, deterministic, unknown drawn as unknown), and the PNG
// resvg makes of it (a real PNG of the chart's size, with text drawn in the font we load).

import { CHART_FONT_FILES, chartPng, fontOptions, svgToPng } from '../../src/chart/png';
import { CHART_HEIGHT, CHART_WIDTH, chartSvg, escapeXml, fitText } from '../../src/chart/svg';
import { EVIDENCE_LEVELS } from '../../src/core/evidence-map';
import { mapCard, mapChart, type ChartSpec } from '../../src/core/present/evidence-map';

const counts = {
  total: { search: 'x', count: 23456 },
  levels: EVIDENCE_LEVELS.map((level, i) => ({
    level,
    search: `t${i}`,
    ...(i === 4 ? {} : { count: (i + 1) * 100 }),
  })),
  years: Array.from({ length: 20 }, (_, i) => ({
    year: 2007 + i,
    search: `y${i}`,
    ...(i === 3 ? {} : { count: i * 10 }),
  })),
  notices: [],
  stale: false,
};

const spec: ChartSpec = mapChart(mapCard({ terms: 'pembrolizumab <script>&"nsclc"' }, counts, 2026));

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('chartSvg', () => {
  const svg = chartSvg(spec);

  it('escapes every text from outside', () => {
    expect(escapeXml(`a<b>&"c"'d`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d');
    expect(escapeXml('bell\u0007')).toBe('bell');
    expect(svg).toContain('pembrolizumab &lt;script&gt;&amp;&quot;nsclc&quot;');
    expect(svg).not.toContain('<script>');
  });

  it('is the same bytes for the same spec', () => {
    expect(chartSvg(spec)).toBe(svg);
  });

  it('draws one bar per level and one column per year, scaled to the largest', () => {
    const rects = [
      ...svg.matchAll(
        /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#1d3557"\/>/g,
      ),
    ];
    expect(rects).toHaveLength(7); // 8 levels, one unknown
    const widths = rects.map((m) => Number(m[3]));
    expect(Math.max(...widths)).toBe(widths[widths.length - 1]); // guidelines: 800, the largest
    expect(widths[0]).toBeCloseTo((widths[widths.length - 1] ?? 0) / 8, 0);
    const columns = [...svg.matchAll(/fill="#457b9d"\/>/g)];
    expect(columns).toHaveLength(18); // 20 years, one unknown, one with 0 records (no column to draw)
  });

  it('draws an unknown count as a dashed outline labelled unknown, never as a 0 bar', () => {
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain('>unknown</text>');
  });

  it('cuts text that would not fit', () => {
    expect(fitText('x'.repeat(500), 100, 10)).toHaveLength(16);
    expect(fitText('short', 100, 10)).toBe('short');
  });
});

describe('PNG', () => {
  it('is a PNG of the chart size that decodes', async () => {
    const image = await chartPng(spec);
    expect(pngSize(image.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(image).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    // Small enough for a chat message: Teams takes images to 1 MB and 1024 × 1024.
    expect(image.png.length).toBeLessThan(200_000);
  });

  it('draws the text: the same chart without its words has fewer ink pixels', async () => {
    const withText = await svgToPng(chartSvg(spec));
    const blank = chartSvg(spec).replace(/<text[^>]*>[^<]*<\/text>/g, '');
    const withoutText = await svgToPng(blank);
    expect(withText.png.length).toBeGreaterThan(withoutText.png.length + 5_000);
  });

  it('loads the font files when present, and the system fonts otherwise', () => {
    expect(fontOptions(() => true)).toMatchObject({ fontFiles: CHART_FONT_FILES, loadSystemFonts: false });
    expect(fontOptions(() => false)).toEqual({ loadSystemFonts: true });
  });
});
