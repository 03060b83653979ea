import autocannon from 'autocannon';
import { fill, type Template } from './events.ts';

export interface LoadOptions {
  port: number;
  writeKey: string;
  seconds: number;
  connections: number;
  /** Each call gives the next request: its path and body template (TOKEN not yet filled). */
  next: () => { path: string; template: Template };
}

export interface LoadResult {
  seconds: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** One 4xx/5xx answer body, to say why requests failed. */
  sampleError?: string;
}

/**
 * Loads the collector over loopback HTTP for a fixed time. Every request gets a fresh body
 * from `setupRequest`: the TOKEN in its message ids becomes a counter, so no event repeats.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let counter = 0;
  let sampleError: string | undefined;
  const headers = {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`,
  };
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.seconds,
    // Generous: a request still queued when the collector saturates must count as slow, not lost.
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { path, template } = options.next();
          return { ...request, method: 'POST', path, headers, body: fill(template, counter++) };
        },
        onResponse: (status, body) => {
          if (status >= 300 && sampleError === undefined) sampleError = `${status} ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  return {
    seconds: result.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    sampleError,
  };
}

/** Walks a list round and round; the fresh counter keeps reused templates unique. */
export function cycle<T>(items: readonly T[]): () => T {
  let index = 0;
  return () => items[index++ % items.length]!;
}
