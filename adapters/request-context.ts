// A request id per inbound HTTP request, carried through everything that request causes (the ack, the lookup
// after it, the reply) so that every log line it produces names it. Which requests arrive is server.ts's.

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from '../src/core/logger';

/** A load balancer's or gateway's id is kept when it looks like one; anything else gets a fresh UUID. */
const USABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestScope {
  /** Runs `fn` (and all the async work it starts) as part of the request with this id. */
  run<T>(reqId: string, fn: () => T): T;
  /** The id of the request the current code works for, if any. */
  current(): string | undefined;
}

export function createRequestScope(): RequestScope {
  const storage = new AsyncLocalStorage<string>();
  return {
    run: (reqId, fn) => storage.run(reqId, fn),
    current: () => storage.getStore(),
  };
}

export function requestIdOf(req: http.IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && USABLE_ID.test(given) ? given : randomUUID();
}

/**
 * A Logger whose every line carries `reqId` while it is written for a request; children keep doing so.
 * Modules below the server need not know about requests at all.
 */
export function scopedLogger(base: Logger, scope: RequestScope): Logger {
  const withId = (obj: object): object => {
    const reqId = scope.current();
    return reqId === undefined || 'reqId' in obj ? obj : { reqId, ...obj };
  };
  return {
    debug: (obj, msg) => base.debug(withId(obj), msg),
    info: (obj, msg) => base.info(withId(obj), msg),
    warn: (obj, msg) => base.warn(withId(obj), msg),
    error: (obj, msg) => base.error(withId(obj), msg),
    child: (bindings) => scopedLogger(base.child(bindings), scope),
  };
}
