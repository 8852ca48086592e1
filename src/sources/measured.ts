// Counts every call of an outside-service client as one attempt (its clients make one HTTP attempt per call),
// by wrapping the client, so services, retries and budgets stay untouched. The composition root applies it.

import type { Clock } from '../core/clock';
import { isPaperbotError } from '../core/errors';
import type { Metrics } from '../core/metrics';

/** A client: an object literal whose every own method returns a promise (one attempt each). */
export type MeasurableClient<C> = { [K in keyof C]: (...args: never[]) => Promise<unknown> };

export interface MeasuredOptions<C> {
  metrics: Metrics;
  clock: Clock;
  /** The `source` label ("pubmed", "clinicaltrials"). */
  source: string;
  /** The `operation` label per method, where it is not the method's own name. */
  operations?: Partial<Record<keyof C, string>>;
}

/** `client`, with each call reported to `metrics.sourceRequest` (its time, and its error code if it failed). */
export function measured<C extends MeasurableClient<C>>(client: C, o: MeasuredOptions<C>): C {
  const wrapped: Partial<Record<keyof C, unknown>> = {};
  for (const name of Object.keys(client) as (keyof C & string)[]) {
    const method = client[name];
    const operation = o.operations?.[name] ?? name;
    wrapped[name] = async (...args: never[]): Promise<unknown> => {
      const started = o.clock.now();
      try {
        const value = await method.apply(client, args);
        o.metrics.sourceRequest({ source: o.source, operation, ms: o.clock.now() - started });
        return value;
      } catch (error) {
        const code = isPaperbotError(error) ? error.code : 'internal';
        // bad_input is refused before any request leaves: nothing reached the source.
        if (code !== 'bad_input')
          o.metrics.sourceRequest({ source: o.source, operation, ms: o.clock.now() - started, error: code });
        throw error;
      }
    };
  }
  return wrapped as C;
}
