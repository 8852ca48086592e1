// How many requests a second this replica takes once its event loop saturates: a rate refitted every window
// to the loop's utilization, so an arriving ack always finds the loop with room. shed.ts refuses the rest.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';

const MIN_BURST = 16;

export interface Admission {
  /** Counts one request and says whether it is within the rate (always, while no limit is in force). */
  take(): boolean;
}

export interface AdmissionOptions {
  /**
   * Utilization (0–1) the loop is held at while a limit is in force. Below 1 on purpose: a loop that is
   * always busy makes every new request wait for everything queued before it, and the acks' wait grows
   * without bound; at 0.8 an ack waits a few callbacks at most.
   */
  target?: number;
  /** How often the rate is refitted; one reading of utilization per window. */
  windowMs?: number;
  /**
   * The rate is never set below this (requests/s), so work other than requests cannot stop all service; nor is
   * a limit set while requests arrive slower than this.
   */
  floorPerSecond?: number;
  /**
   * Windows in a row over the target before a limit is set: one busy window is a collection or a burst the
   * loop absorbs, not saturation, and a limit set on it would refuse requests a replica could serve.
   */
  enterAfterWindows?: number;
  /** Calm windows (under the target, nothing refused) after which the limit is lifted. */
  liftAfterWindows?: number;
  /** A limit's rate may grow by at most this factor a window, so one quiet window cannot open the gates. */
  maxGrowth?: number;
  now?: () => number;
  /** Node's performance.eventLoopUtilization (a stand-in in tests). */
  utilization?: (since?: EventLoopUtilization) => EventLoopUtilization;
}

/**
 * However many refusals arrive, the rate is not cut below this share of the one the limit began with: when
 * refusals are what fills the loop (a retry storm), refusing more cannot empty it and serving less only
 * loses goodput, so the fit by utilization alone would spiral down to the floor.
 */
const MIN_SHARE_OF_ENTRY_RATE = 0.6;

/**
 * Why a fitted rate and not a count of answers owed: a warm answer is done within the turn that took its
 * request, so under saturation nothing piles up inside the process; the queue is in the sockets, unread,
 * and only the loop's utilization shows it. The work a request costs is roughly fixed, so the rate that
 * gives the target is the rate taken last window scaled by target / utilization (refusals cost a few
 * percent of an answer, which the next refit absorbs).
 */
export function createAdmission(o: AdmissionOptions = {}): Admission {
  const target = o.target ?? 0.8;
  const windowMs = o.windowMs ?? 50;
  const floor = (o.floorPerSecond ?? 100) / 1000;
  const enterAfter = o.enterAfterWindows ?? 3;
  const liftAfter = o.liftAfterWindows ?? 20;
  const maxGrowth = o.maxGrowth ?? 1.25;
  const now = o.now ?? (() => performance.now());
  const utilization = o.utilization ?? ((since) => performance.eventLoopUtilization(since));

  let mark = utilization();
  let windowStart = now();
  let taken = 0;
  let refused = 0;
  let calm = 0;
  let hot = 0;
  /** Requests per ms while limiting; Infinity: no limit in force. */
  let rate = Infinity;
  /** The lowest the rate may be cut to while this limit lasts. */
  let least = floor;
  let tokens = 0;
  let refilledAt = windowStart;

  /** Half a window's worth (at least a few) saved up: requests that arrive together are not refused for it. */
  const burst = (): number => Math.max(MIN_BURST, (rate * windowMs) / 2);

  function refit(at: number): void {
    const elapsed = at - windowStart;
    const used = utilization(mark).utilization;
    mark = utilization();
    windowStart = at;
    const seen = taken / elapsed;
    const wasRefusing = refused > 0;
    taken = 0;
    refused = 0;
    const fitted = Math.max(least, (seen * target) / Math.max(used, 0.01));
    if (used > target) {
      calm = 0;
      hot += 1;
      if (Number.isFinite(rate)) rate = Math.min(rate, fitted);
      // Requests coming in at no more than the floor are not what saturates the loop: refusing them would help
      // nothing (a test process, a digest being rendered, a machine shared with others).
      else if (hot >= enterAfter && seen > floor) {
        rate = fitted;
        least = Math.max(floor, MIN_SHARE_OF_ENTRY_RATE * fitted);
        tokens = burst();
        refilledAt = at;
      }
      return;
    }
    hot = 0;
    if (!Number.isFinite(rate)) return;
    // Windows in which no request came at all count as calm ones: the first request after a quiet spell
    // finds no limit.
    const quiet = Math.floor(elapsed / windowMs) - 1;
    calm = wasRefusing ? Math.max(0, quiet) : calm + 1 + Math.max(0, quiet);
    if (calm >= liftAfter) {
      rate = Infinity;
      least = floor;
      return;
    }
    // Room left and demand beyond the rate: grow towards the target, a bounded step at a time.
    if (wasRefusing) rate = Math.max(floor, Math.min(rate * maxGrowth, fitted));
  }

  return {
    take() {
      const at = now();
      if (at - windowStart >= windowMs) refit(at);
      if (!Number.isFinite(rate)) {
        taken += 1;
        return true;
      }
      tokens = Math.min(burst(), tokens + rate * (at - refilledAt));
      refilledAt = at;
      if (tokens >= 1) {
        tokens -= 1;
        taken += 1;
        return true;
      }
      refused += 1;
      return false;
    },
  };
}
