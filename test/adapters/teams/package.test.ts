// The Teams app package: read back with a small independent ZIP/PNG reader (signatures, CRCs, sizes),
// the manifest filled for the given app id, and icons of the sizes and colours Teams requires.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PassThrough } from 'node:stream';
import { colorIcon, outlineIcon } from '../../../scripts/teams-icons';
import { main, parseArgs } from '../../../scripts/teams-package';
import { tempDataDir } from '../../support/graph';

const APP_ID = '6b8ce8c1-2f4d-4c8e-9f3b-0a1b2c3d4e5f';
const dir = tempDataDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Entries by name, from the central directory (as unzip reads it), each checked against its CRC-32. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(start, start + compressed);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(zlib.crc32(data) >>> 0).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

/** Width, height, colour type and RGBA pixels of an unfiltered 8-bit RGBA PNG (what the icon script writes). */
function png(data: Buffer): {
  width: number;
  height: number;
  colorType: number;
  alpha: (x: number, y: number) => number;
  rgb: (x: number, y: number) => number[];
} {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let colorType = -1;
  while (at < data.length) {
    const length = data.readUInt32BE(at);
    const type = data.subarray(at + 4, at + 8).toString('ascii');
    const body = data.subarray(at + 8, at + 8 + length);
    expect(zlib.crc32(data.subarray(at + 4, at + 8 + length)) >>> 0).toBe(data.readUInt32BE(at + 8 + length));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      colorType = body.readUInt8(9);
    }
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const px = (x: number, y: number): number => y * (width * 4 + 1) + 1 + x * 4;
  return {
    width,
    height,
    colorType,
    alpha: (x, y) => raw[px(x, y) + 3] ?? -1,
    rgb: (x, y) => [raw[px(x, y)] ?? -1, raw[px(x, y) + 1] ?? -1, raw[px(x, y) + 2] ?? -1],
  };
}

function build(args: string[]): { code: number; stderr: string; file: string } {
  const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.zip`);
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = main(['--app-id', APP_ID, '--out', file, ...args], new PassThrough(), err);
  return { code, stderr, file };
}

describe('the package', () => {
  const { code, file } = build([
    '--website',
    'https://oncology.example.org/paperbot',
    '--domain',
    'paperbot.example.org',
  ]);
  const entries = unzip(fs.readFileSync(file));

  it('holds exactly the manifest and both icons, at the root', () => {
    expect(code).toBe(0);
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('fills the manifest for the app id', () => {
    const m = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? '{}') as {
      manifestVersion: string;
      id: string;
      version: string;
      developer: Record<string, string>;
      bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
      composeExtensions: {
        botId: string;
        commands: { id: string; type: string; parameters: { name: string }[] }[];
        messageHandlers: { type: string; value: { domains: string[] } }[];
      }[];
      validDomains: string[];
    };
    expect(m.manifestVersion).toBe('1.17');
    expect(m.id).toBe(APP_ID);
    expect(m.version).toBe('0.1.0');
    expect(m.developer).toEqual({
      name: 'paperbot',
      websiteUrl: 'https://oncology.example.org/paperbot',
      privacyUrl: 'https://oncology.example.org/paperbot/privacy',
      termsOfUseUrl: 'https://oncology.example.org/paperbot/terms',
    });
    expect(m.bots[0]?.botId).toBe(APP_ID);
    expect(m.bots[0]?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(m.bots[0]?.commandLists[0]?.commands.map((c) => c.title)).toEqual([
      'paper',
      'trial',
      'map',
      'digest',
      'help',
    ]);
    const extension = m.composeExtensions[0];
    expect(extension?.botId).toBe(APP_ID);
    expect(extension?.commands[0]).toMatchObject({
      id: 'paper',
      type: 'query',
      parameters: [{ name: 'query' }],
    });
    expect(extension?.messageHandlers[0]?.type).toBe('link');
    expect(extension?.messageHandlers[0]?.value.domains).toEqual(
      expect.arrayContaining(['pubmed.ncbi.nlm.nih.gov', 'pmc.ncbi.nlm.nih.gov', 'doi.org']),
    );
    expect(m.validDomains).toContain('paperbot.example.org');
    expect(JSON.stringify(m)).not.toContain('${{');
  });

  it('carries a 192×192 colour icon and a 32×32 white-on-transparent outline', () => {
    const color = png(entries.get('color.png') ?? Buffer.alloc(0));
    expect([color.width, color.height, color.colorType]).toEqual([192, 192, 6]);
    const outline = png(entries.get('outline.png') ?? Buffer.alloc(0));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let opaque = 0;
    for (let y = 0; y < 32; y += 1)
      for (let x = 0; x < 32; x += 1) {
        const a = outline.alpha(x, y);
        expect([0, 255]).toContain(a);
        if (a === 255) {
          opaque += 1;
          expect(outline.rgb(x, y)).toEqual([255, 255, 255]);
        }
      }
    expect(opaque).toBeGreaterThan(50);
  });

  it('is byte-for-byte reproducible, and the committed icons are what the icon script draws', () => {
    const again = build([
      '--website',
      'https://oncology.example.org/paperbot',
      '--domain',
      'paperbot.example.org',
    ]);
    expect(fs.readFileSync(again.file)).toEqual(fs.readFileSync(file));
    const teams = path.join(__dirname, '..', '..', '..', 'teams');
    expect(fs.readFileSync(path.join(teams, 'color.png'))).toEqual(colorIcon());
    expect(fs.readFileSync(path.join(teams, 'outline.png'))).toEqual(outlineIcon());
  });
});

describe('the command line', () => {
  it('refuses a missing or malformed app id with exit code 2', () => {
    const err = new PassThrough();
    expect(main(['--out', path.join(dir, 'x.zip')], new PassThrough(), err)).toBe(2);
    expect(() => parseArgs(['--app-id', 'paperbot'])).toThrow(/GUID/);
    expect(() => parseArgs(['--app-id', APP_ID, '--website', 'http://insecure.example'])).toThrow(/https/);
    expect(() => parseArgs(['--app-id', APP_ID, '--color', 'red'])).toThrow(/unknown option --color/);
  });

  it('says when the developer URLs are placeholders', () => {
    const r = build([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('placeholders');
  });
});
