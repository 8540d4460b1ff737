import { login, ok } from './gql';

/** An action plan as the live tests track it: its id and the version the next write must name. */
export interface Plan {
  id: string;
  version: number;
}

/** The demo's Tanjungpinang as the live tests use it. */
export interface DemoCity {
  /** The platform admin's token. */
  admin: string;
  /** The city's Bappelitbang (a city admin) token, which reports progress. */
  reporter: string;
  cityId: string;
  /** Its ACTIVE plans (first 100). */
  plans: Plan[];
  /** Reports `percent` on `plan` as the reporter, and keeps the plan's new version. */
  report: (plan: Plan, percent: number) => Promise<void>;
}

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';

/** Logs in and finds the demo city and its active plans (a server started with `demo: true`). */
export async function demoCity(url: string): Promise<DemoCity> {
  const [admin, reporter] = (await Promise.all(['admin@pantau.demo', 'bappelitbang@tanjungpinang.demo'].map((e) => login(url, e)))) as [
    string,
    string,
  ];
  const cities = (await ok<any>(url, '{ cities { id name } }', {}, admin)).cities;
  const cityId = cities.find((c: any) => c.name === 'Tanjungpinang').id as string;
  const list = await ok<any>(
    url,
    'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version status } } } } }',
    { id: cityId },
    admin,
  );
  const plans: Plan[] = list.city.actionPlans.edges
    .map((e: any) => e.node)
    .filter((p: any) => p.status === 'ACTIVE')
    .map((p: any) => ({ id: p.id, version: p.version }));
  return {
    admin,
    reporter,
    cityId,
    plans,
    report: async (plan, percent) => {
      const data = await ok<any>(
        url,
        REPORT,
        { input: { actionPlanId: plan.id, percent, narrative: `laporan ${percent}`, expectedVersion: plan.version } },
        reporter,
      );
      plan.version = data.reportProgress.version;
    },
  };
}
