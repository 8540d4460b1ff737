import { execute, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../server/graphql/schema';

// One execution of a city event is shared by every `cityEvents` subscriber (realtime/shared.ts).
// It must complete synchronously: a promise there was waited for once per socket (issue 9).

const EVENTS = parse('subscription ($id: ID!) { cityEvents(cityId: $id) { cityId seq kind entity entityId actionPlanId at } }');
const event = {
  cityId: 'kota-uji',
  seq: 7,
  kind: 'PROGRESS_REPORTED',
  entity: 'ProgressReport',
  entityId: 'laporan-1',
  actionPlanId: 'rencana-1',
  at: new Date('2026-03-02T03:04:05.000Z'),
};

describe('the execution of a city event', () => {
  it('completes synchronously, with the event as the field', async () => {
    const schema = await getSchema();
    const result = execute({
      schema,
      document: EVENTS,
      rootValue: event,
      variableValues: { id: 'kota-uji' },
      contextValue: { locale: 'id' },
    });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ data: { cityEvents: { ...event, at: '2026-03-02T03:04:05.000Z' } } });
  });

  it('still refuses a control character in its arguments (the guard wraps it)', async () => {
    const schema = await getSchema();
    const result = (await execute({
      schema,
      document: EVENTS,
      rootValue: event,
      variableValues: { id: 'kota\u0000uji' },
      contextValue: { locale: 'id' },
    })) as ExecutionResult;
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cityId' });
  });
});
