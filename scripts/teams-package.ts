// Writes the Teams app package (manifest.json + color.png + outline.png, flat, zipped) for a bot app id:
// `node -r @swc-node/register scripts/teams-package.ts --app-id <guid> --out paperbot-teams.zip`.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TEAMS_DIR = path.join(__dirname, '..', 'teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER_WEBSITE = 'https://example.org/paperbot';

export interface PackageOptions {
  /** The bot's Microsoft App ID (the Azure Bot resource's; TEAMS_APP_ID on the server). */
  appId: string;
  /** The Teams app's own id; the bot's by default. */
  teamsAppId: string;
  version: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
  /** Where paperbot is served, added to validDomains. */
  domain?: string;
  out: string;
}

const USAGE =
  'usage: teams-package --app-id <guid> [--out paperbot-teams.zip] [--teams-app-id <guid>] [--version x.y.z]\n' +
  '                     [--developer-name <name>] [--website <https url>] [--privacy-url <url>] [--terms-url <url>] [--domain <host>]';

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '1.0.0';
}

/** Parses the command line; throws an Error whose message is for the person who typed it. */
export function parseArgs(argv: string[]): PackageOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined || value.startsWith('--'))
      throw new Error(`${flag || '(nothing)'} needs a value\n${USAGE}`);
    flags.set(flag.slice(2), value);
    i += 1;
  }
  const known = [
    'app-id',
    'teams-app-id',
    'out',
    'version',
    'developer-name',
    'website',
    'privacy-url',
    'terms-url',
    'domain',
  ];
  for (const name of flags.keys())
    if (!known.includes(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const appId = flags.get('app-id');
  if (!appId || !GUID.test(appId))
    throw new Error(`--app-id must be the bot's Microsoft App ID (a GUID)\n${USAGE}`);
  const teamsAppId = flags.get('teams-app-id') ?? appId;
  if (!GUID.test(teamsAppId)) throw new Error('--teams-app-id must be a GUID');
  const version = flags.get('version') ?? packageVersion();
  if (!/^\d{1,5}\.\d{1,5}\.\d{1,5}$/.test(version))
    throw new Error('--version must look like 1.2.3 (Teams accepts only that form)');
  const websiteUrl = (flags.get('website') ?? PLACEHOLDER_WEBSITE).replace(/\/+$/, '');
  const urls = {
    websiteUrl,
    privacyUrl: flags.get('privacy-url') ?? `${websiteUrl}/privacy`,
    termsUrl: flags.get('terms-url') ?? `${websiteUrl}/terms`,
  };
  for (const [name, url] of Object.entries(urls))
    if (!/^https:\/\/[^\s"]+$/.test(url)) throw new Error(`${name} must be an https:// URL`);
  const domain = flags.get('domain');
  if (domain !== undefined && !/^[a-z0-9.-]+(?::\d+)?$/i.test(domain))
    throw new Error('--domain must be a host name such as paperbot.example.org');
  return {
    appId,
    teamsAppId,
    version,
    developerName: flags.get('developer-name') ?? 'paperbot',
    ...urls,
    ...(domain ? { domain } : {}),
    out: flags.get('out') ?? 'paperbot-teams.zip',
  };
}

/** The template with every ${{NAME}} filled (JSON-escaped); fails on any left unfilled. */
export function renderManifest(template: string, o: PackageOptions): Record<string, unknown> {
  const values: Record<string, string> = {
    APP_VERSION: o.version,
    TEAMS_APP_ID: o.teamsAppId,
    BOT_ID: o.appId,
    DEVELOPER_NAME: o.developerName,
    WEBSITE_URL: o.websiteUrl,
    PRIVACY_URL: o.privacyUrl,
    TERMS_URL: o.termsUrl,
  };
  const filled = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`teams/manifest.json: no value for ${all}`);
    return JSON.stringify(value).slice(1, -1);
  });
  const manifest = JSON.parse(filled) as Record<string, unknown> & { validDomains?: string[] };
  if (o.domain) manifest.validDomains = [...new Set([...(manifest.validDomains ?? []), o.domain])];
  return manifest;
}

/** A ZIP archive (deflated entries, no directories) as Teams' app validator reads it. */
export function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // A fixed timestamp (1980-01-01 00:00, the DOS epoch) keeps the archive byte-for-byte reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = zlib.deflateRawSync(entry.data, { level: 9 });
    const crc = zlib.crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += local.length + name.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export function buildPackage(o: PackageOptions, dir = TEAMS_DIR): Buffer {
  const manifest = renderManifest(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'), o);
  return zip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: fs.readFileSync(path.join(dir, 'color.png')) },
    { name: 'outline.png', data: fs.readFileSync(path.join(dir, 'outline.png')) },
  ]);
}

export function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number {
  let options: PackageOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    err.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const archive = buildPackage(options);
  fs.writeFileSync(options.out, archive);
  out.write(
    `wrote ${options.out} (${archive.length.toLocaleString('en-US')} bytes) for bot ${options.appId}\n`,
  );
  if (options.websiteUrl === PLACEHOLDER_WEBSITE)
    err.write(
      'note: developer URLs are placeholders; pass --website (and --privacy-url, --terms-url) before publishing to your org\n',
    );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
