// Reading the bodies of requests nobody has verified yet: a size cap per endpoint, one budget of such bytes
// per replica, and an idle timer per body. Which headers must come first, and what is verified, is the adapters'.

import type http from 'node:http';

/** Why a body was not read whole, with the status that says so. */
export type BodyRefusal = 'too_large' | 'busy' | 'idle' | 'aborted';

const STATUS: Record<BodyRefusal, number> = { too_large: 413, busy: 503, idle: 408, aborted: 400 };

export class BodyRefused extends Error {
  constructor(readonly reason: BodyRefusal) {
    super(`request body refused: ${reason}`);
    this.name = 'BodyRefused';
  }
  get status(): number {
    return STATUS[this.reason];
  }
}

export interface IntakeLimits {
  /** Bytes of unverified bodies this replica holds at once, across all requests. */
  unverifiedBytes: number;
  /** Longest pause between two chunks of one body. */
  bodyIdleMs: number;
}

export interface Intake {
  /** Unverified body bytes held right now. */
  held(): number;
  /** Reads a whole body of at most `maxBytes`; rejects with BodyRefused (the request is then dropped). */
  read(req: http.IncomingMessage, maxBytes: number): Promise<Buffer>;
}

/** Seconds a client refused for the budget should wait: bodies in flight finish or time out within it. */
export const BUSY_RETRY_AFTER_S = 1;

/**
 * Bytes are counted as they arrive, not as declared: a client that declares a large body and trickles it holds
 * almost nothing (its idle timer ends it), while a flood of fast large bodies meets the budget at once.
 */
export function createIntake(limits: IntakeLimits): Intake {
  let held = 0;
  return {
    held: () => held,
    read(req, maxBytes) {
      const declared = Number(req.headers['content-length']);
      if (declared > maxBytes) return Promise.reject(new BodyRefused('too_large'));
      if (held >= limits.unverifiedBytes) return Promise.reject(new BodyRefused('busy'));
      return new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const settle = (refusal?: BodyRefusal): void => {
          held -= size;
          req.off('data', onData);
          req.off('end', onEnd);
          req.off('aborted', onAborted);
          req.off('error', onAborted);
          req.off('timeout', onIdle);
          // Socket timeouts are node's own I/O timers; 0 hands the socket back to the server's keep-alive policy.
          req.setTimeout(0);
          if (refusal) {
            chunks.length = 0;
            req.pause();
            reject(new BodyRefused(refusal));
            return;
          }
          resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
        };
        const onData = (chunk: Buffer): void => {
          size += chunk.length;
          held += chunk.length;
          if (size > maxBytes) settle('too_large');
          else if (held > limits.unverifiedBytes) settle('busy');
          else chunks.push(chunk);
        };
        const onEnd = (): void => settle();
        const onAborted = (): void => settle('aborted');
        const onIdle = (): void => settle('idle');
        req.on('data', onData);
        req.once('end', onEnd);
        req.once('aborted', onAborted);
        req.once('error', onAborted);
        req.setTimeout(limits.bodyIdleMs, onIdle);
      });
    },
  };
}

/**
 * Answers a refused body and drops its connection: the rest of a body too large, or too slow, is never read.
 * Cheap on purpose (no body, no logging here): under a flood this runs for every request.
 */
export function answerRefusal(res: http.ServerResponse, refusal: BodyRefused): void {
  if (!res.headersSent) {
    const headers: http.OutgoingHttpHeaders = { connection: 'close', 'content-length': 0 };
    if (refusal.reason === 'busy') headers['retry-after'] = String(BUSY_RETRY_AFTER_S);
    res.writeHead(refusal.status, headers);
  }
  res.end(() => res.req.destroy());
}
