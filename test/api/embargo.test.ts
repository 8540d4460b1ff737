// Issue 20 §6: the assessor-score embargo lifts at one instant for every city — 00:00 WIB on the
// framework's publish date — and not earlier for a city whose admin moves it to another time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { run, TRANSPORTS } from '../helpers/transports';

const PUBLISH = '2031-12-15';
/** 00:00 WIB (UTC+7) on the publish date. */
const LIFTS = new Date(`${PUBLISH}T00:00:00+07:00`);
const READ = 'query ($id: ID!) { selfAssessment(id: $id) { assessorScoresVisible assessorIndex items { assessorScore assessorNotes } } }';
const NOTE = 'Catatan penilai, masih diembargo';
const dimension = (d: string) => ({ dimension: d, weight: 20 });

describe.each(await testDialects())('the assessor-score embargo on %s', (dialect) => {
  let server: TestServer;
  let cityAdmin: string;
  let cityId: string;
  let assessmentId: string;
  let now = new Date();

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true, clock: () => now });
    const admin = await login(server.url, 'admin@pantau.demo');
    cityAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, cityAdmin)).me.cityId;
    const framework = (
      await ok<any>(
        server.url,
        'mutation ($input: CreateEvaluationFrameworkInput!) { createEvaluationFramework(input: $input) { id } }',
        {
          input: {
            year: 2031,
            name: 'Instrumen 2031',
            publishDate: PUBLISH,
            weights: ['BASELINE', 'OUTPUT', 'OUTCOME', 'IMPACT', 'QUICK_WIN'].map(dimension),
            items: [{ code: 'B1', dimension: 'BASELINE', weight: 1, question: 'Ada?', expectedEvidence: 'SK' }],
          },
        },
        admin,
      )
    ).createEvaluationFramework;
    const assessment = (
      await ok<any>(
        server.url,
        'mutation ($input: StartSelfAssessmentInput!) { startSelfAssessment(input: $input) { id items { id } } }',
        { input: { cityId, frameworkId: framework.id } },
        cityAdmin,
      )
    ).startSelfAssessment;
    assessmentId = assessment.id;
    await ok(
      server.url,
      'mutation ($input: RecordAssessorScoreInput!) { recordAssessorScore(input: $input) { id } }',
      { input: { assessmentItemId: assessment.items[0].id, score: 3, notes: NOTE } },
      admin,
    );
  });
  afterAll(async () => server?.close());

  async function moveCityTo(timeZone: string): Promise<void> {
    const { city } = await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { version } }', { id: cityId }, cityAdmin);
    await ok(
      server.url,
      'mutation ($input: UpdateCityInput!) { updateCity(input: $input) { timeZone } }',
      { input: { id: cityId, expectedVersion: city.version, timeZone } },
      cityAdmin,
    );
  }

  /** What the city's own admin reads, on both transports (they must agree). */
  async function seen(): Promise<boolean> {
    const answers = await Promise.all(TRANSPORTS.map((t) => run(t, server.url, READ, { id: assessmentId }, cityAdmin)));
    for (const a of answers) expect(a.errors).toBeUndefined();
    const [http, ws] = answers.map((a) => a.data!.selfAssessment);
    expect(ws).toEqual(http);
    const visible = http.assessorScoresVisible as boolean;
    expect(http.items[0].assessorNotes).toBe(visible ? NOTE : null);
    expect(http.assessorIndex === null).toBe(!visible);
    return visible;
  }

  it('stays on until 00:00 WIB of the publish date, whatever time zone the city admin gives the city', async () => {
    // 22:30 WIB on the eve: already the publish date in Jayapura (WIT), Kiritimati (UTC+14)…
    now = new Date(LIFTS.getTime() - 90 * 60_000);
    expect(await seen()).toBe(false);
    for (const timeZone of ['Pacific/Kiritimati', 'Asia/Jayapura', 'Asia/Makassar']) {
      await moveCityTo(timeZone);
      expect(await seen(), timeZone).toBe(false);
    }
    // …and one millisecond before the instant.
    now = new Date(LIFTS.getTime() - 1);
    expect(await seen()).toBe(false);
  });

  it('lifts at 00:00 WIB for every city, also one whose own clock is still on the eve', async () => {
    now = LIFTS;
    for (const timeZone of ['Pacific/Kiritimati', 'Asia/Jakarta', 'Pacific/Pago_Pago']) {
      await moveCityTo(timeZone);
      expect(await seen(), timeZone).toBe(true);
    }
  });
});
