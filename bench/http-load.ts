/**
 * The HTTP load generator (forked by bench/run.ts, so its CPU is not the server's): autocannon's
 * programmatic API, one run per `load` command. Answers successful (2xx) requests per second, the
 * latency percentiles and the failures.
 */
import autocannon from 'autocannon';
import { serve } from './lib';

serve({
  load: async (a: { url: string; body: string; headers: Record<string, string>; connections: number; seconds: number }) => {
    const r = await autocannon({
      url: a.url,
      method: 'POST',
      body: a.body,
      headers: { 'content-type': 'application/json', ...a.headers },
      connections: a.connections,
      duration: a.seconds,
    });
    return {
      rps: r['2xx'] / r.duration,
      requests: r.requests.total,
      ok: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      p50: r.latency.p50,
      p99: r.latency.p99,
      seconds: r.duration,
    };
  },
});
process.send?.({ ready: true });
