// GET /exports/<token>/<filename> of `paperbot serve`: a reading-list export held for download (Teams), served
// as an attachment that browsers neither cache nor sniff. Unknown, expired and misnamed links all look alike.

import type http from 'node:http';
import type { Logger } from '../src/core/logger';
import type { ExportLinks } from '../src/watch';

const ROUTE = /^\/exports\/([^/]{1,64})\/([^/]{1,200})$/;

/** Every miss answers the same bytes, so a response says nothing about whether a token ever existed. */
function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('not found');
}

/** `filename` is ours (reading-list.ris …), but quoted safely anyway: no quote or control character gets in. */
function disposition(filename: string): string {
  const plain = filename.replace(/[^\w.-]/g, '_');
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** The route name when this request is an export download (answered asynchronously), else undefined. */
export function handleExport(
  links: ExportLinks | undefined,
  logger: Logger,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): string | undefined {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (!path.startsWith('/exports/')) return undefined;
  const match = ROUTE.exec(path);
  if (!links || !match || (req.method !== 'GET' && req.method !== 'HEAD')) {
    notFound(res);
    return 'exports';
  }
  let filename: string;
  try {
    filename = decodeURIComponent(match[2] ?? '');
  } catch {
    notFound(res);
    return 'exports';
  }
  void links.read(match[1] ?? '', filename).then(
    (file) => {
      if (!file) return notFound(res);
      const body = Buffer.from(file.text, 'utf8');
      res.writeHead(200, {
        'content-type': `${file.mime}; charset=utf-8`,
        'content-length': body.length,
        'content-disposition': disposition(file.filename),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // The link is the secret: never hand it on to another site.
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (err: unknown) => {
      logger.warn({ err }, 'exports: the store did not answer');
      res.writeHead(503, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end('try again in a minute');
    },
  );
  return 'exports';
}
