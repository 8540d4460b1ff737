/**
 * The HTTP load generator (forked by bench/run.ts, so its CPU is not the server's): autocannon's
 * programmatic API, one run per `load` command. Answers successful (2xx) requests per second, the
 * latency percentiles and the failures.
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { pct, serve } from './lib';

/** The honest client of the `abuse` scenario: one request at a time, `perSecond` of them, latencies kept. */
let probe: { stop: boolean; latencies: number[]; failures: number; firstFailure: string; done: Promise<void> } | null = null;

function once(url: string, body: string, headers: Record<string, string>, agent: http.Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, text: 'response error' }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, text: String(error) }));
    req.end(body);
  });
}

serve({
  /** Starts the honest client: `perSecond` sequential requests a second (a request that takes longer delays the next). */
  probeStart: (a: { url: string; body: string; headers: Record<string, string>; perSecond: number }) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const state = { stop: false, latencies: [] as number[], failures: 0, firstFailure: '', done: Promise.resolve() };
    state.done = (async () => {
      const gap = 1_000 / a.perSecond;
      while (!state.stop) {
        const t0 = performance.now();
        const r = await once(a.url, a.body, a.headers, agent);
        const elapsed = performance.now() - t0;
        if (r.status === 200 && !r.text.includes('"errors"')) state.latencies.push(elapsed);
        else {
          state.failures++;
          state.firstFailure ||= `${r.status} ${r.text.slice(0, 200)}`;
        }
        if (elapsed < gap) await new Promise((resolve) => setTimeout(resolve, gap - elapsed));
      }
      agent.destroy();
    })();
    probe = state;
    return { started: true };
  },
  /** Stops it; answers its latencies' percentiles and failures. */
  probeStop: async () => {
    if (!probe) throw new Error('no probe running');
    probe.stop = true;
    await probe.done;
    const { latencies, failures, firstFailure } = probe;
    probe = null;
    return {
      count: latencies.length,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: Math.max(...latencies),
      failures,
      firstFailure,
    };
  },
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
