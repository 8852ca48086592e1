// Draws the Teams app icons (teams/color.png 192×192, teams/outline.png 32×32) with node:zlib alone.
// `node -r @swc-node/register scripts/teams-icons.ts` rewrites both files; the package script only reads them.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Rgba = [number, number, number, number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), every scanline unfiltered. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(6, 9); // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x += 1) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRoundedRect = (
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

/**
 * A page with a folded corner and three text lines: a reference card. `s` scales the 32-unit design;
 * returns 'page', 'ink' (text lines), 'fold' (the turned-down corner) or undefined (outside).
 */
function page(x: number, y: number, s: number): 'page' | 'ink' | 'fold' | undefined {
  const u = (v: number): number => v * s;
  const [left, top, right, bottom, fold] = [u(8), u(5), u(24), u(27), u(6)];
  const px = x + 0.5;
  const py = y + 0.5;
  if (px < left || px > right || py < top || py > bottom) return undefined;
  // The folded corner: cut away above the diagonal, the fold triangle itself drawn as ink.
  const dx = px - (right - fold);
  const dy = py - top;
  if (dx > 0 && dy < fold) return dx > dy ? undefined : 'fold';
  for (const line of [12, 16, 20])
    if (py >= u(line) && py < u(line) + u(1.6) && px >= u(11) && px <= u(line === 20 ? 17 : 21)) return 'ink';
  return 'page';
}

/** 192×192, full colour: a white reference page on paperbot blue. */
export function colorIcon(): Buffer {
  const blue: Rgba = [0x1f, 0x5f, 0xa8, 255];
  const white: Rgba = [255, 255, 255, 255];
  return encodePng(192, 192, (x, y) => {
    const part = page(x, y, 6);
    if (part === 'page') return white;
    if (part === 'ink') return blue;
    if (part === 'fold') return [0xa9, 0xc4, 0xe6, 255];
    return inRoundedRect(x + 0.5, y + 0.5, 0, 0, 192, 192, 36) ? blue : [0, 0, 0, 0];
  });
}

/** 32×32 outline: white on transparent only, as Teams requires. */
export function outlineIcon(): Buffer {
  return encodePng(32, 32, (x, y) => {
    const part = page(x, y, 1);
    const edge =
      part !== undefined &&
      (page(x - 1, y, 1) === undefined ||
        page(x + 1, y, 1) === undefined ||
        page(x, y - 1, 1) === undefined ||
        page(x, y + 1, 1) === undefined);
    return part === 'ink' || part === 'fold' || edge ? [255, 255, 255, 255] : [255, 255, 255, 0];
  });
}

export function writeIcons(dir: string): void {
  fs.writeFileSync(path.join(dir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
}

if (require.main === module) writeIcons(path.join(__dirname, '..', 'teams'));
