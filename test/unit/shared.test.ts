import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { serialisedOnce } from '../../server/realtime/shared';

const hasRawJSON = typeof (JSON as unknown as { rawJSON?: unknown }).rawJSON === 'function';

describe('a shared result serialised once', () => {
  const result = { data: { citySummary: { seq: 7, progress: 70.3, name: 'Tanjung"pinang' } }, errors: [new GraphQLError('x', { extensions: { code: 'INTERNAL' } })] };

  it('serialises inside a graphql-ws frame exactly as the plain result would', () => {
    const frame = (payload: unknown) => JSON.stringify({ id: 'abc', type: 'next', payload });
    expect(frame(serialisedOnce(result))).toBe(frame(result));
    expect(JSON.parse(frame(serialisedOnce(result))).payload.data.citySummary.name).toBe('Tanjung"pinang');
  });

  it.skipIf(!hasRawJSON)('uses JSON.rawJSON where the runtime has it (Node ≥ 21)', () => {
    expect(typeof (serialisedOnce(result) as unknown as { toJSON?: unknown }).toJSON).toBe('function');
  });

  it.skipIf(hasRawJSON)('passes the result through unchanged where the runtime lacks it (Node 20)', () => {
    expect(serialisedOnce(result)).toBe(result);
  });
});
