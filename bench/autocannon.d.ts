// Type declarations for the parts of autocannon 8 bench/load.ts uses (the package ships no types).
// Kept narrow on purpose: anything not declared here is not used.

declare module 'autocannon' {
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Rewrites the request before each send (in this process; no workers); return it. */
      setupRequest?: (request: Request) => Request;
      /** Sees every response to this request (in this process; no workers). */
      onResponse?: (status: number, body: string) => void;
    }
    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      pipelining?: number;
      /** Requests per second across all connections (open loop); unlimited by default (closed loop). */
      overallRate?: number;
      /** Seconds. */
      timeout?: number;
      /** Cycled through in order by every connection. */
      requests?: Request[];
    }
    /** Percentiles in ms (latency) or per second (requests, throughput). */
    interface Stats {
      average: number;
      mean: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
      total: number;
    }
    interface Result {
      latency: Stats;
      requests: Stats & { sent: number };
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      /** Seconds. */
      duration: number;
    }
  }
  export = autocannon;
}
