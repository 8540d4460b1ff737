/**
 * The write-path load (forked by bench/run.ts): `plans.length` concurrent writers, each sending
 * `reportProgress` on its own plan (no two writers share a plan, so no CONFLICT is expected) for
 * `seconds`, over keep-alive HTTP. Answers the successful writes and the plans' new versions.
 */
import { serve } from './lib';

const MUTATION = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';

serve({
  write: async (a: { url: string; token: string; plans: { id: string; version: number }[]; seconds: number; round: number }) => {
    const end = Date.now() + a.seconds * 1_000;
    let ok = 0;
    let failed = 0;
    let firstError = '';
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      a.plans.map(async (plan, w) => {
        let i = 0;
        while (Date.now() < end) {
          i++;
          const t = performance.now();
          try {
            const res = await fetch(`${a.url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
              body: JSON.stringify({
                query: MUTATION,
                variables: {
                  input: {
                    actionPlanId: plan.id,
                    percent: ((a.round * 131 + w * 17 + i * 7) % 97) + 1,
                    narrative: `bench ${a.round}.${i}`,
                    expectedVersion: plan.version,
                  },
                },
              }),
            });
            const body = (await res.json()) as { data?: { reportProgress?: { version: number } }; errors?: unknown[] };
            if (body.data?.reportProgress) {
              plan.version = body.data.reportProgress.version;
              ok++;
              latencies.push(performance.now() - t);
            } else {
              failed++;
              firstError ||= JSON.stringify(body.errors).slice(0, 300);
            }
          } catch (error) {
            failed++;
            firstError ||= String(error);
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1_000;
    latencies.sort((x, y) => x - y);
    return {
      ok,
      failed,
      firstError,
      seconds,
      perSecond: ok / seconds,
      p50: latencies[Math.floor(latencies.length / 2)] ?? NaN,
      plans: a.plans,
    };
  },
});
process.send?.({ ready: true });
