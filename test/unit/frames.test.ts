import { describe, expect, it } from 'vitest';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { frameCounters, frameHead, markShared, nextFrameParts } from '../../server/realtime/frames';

// Ids are chosen by clients: quotes, backslashes, controls, non-ASCII, emoji, a lone surrogate.
const IDS = ['1', 'a"b', 'back\\slash', 'line\nbreak\u0001', 'ünïcødé', '😀 id', '\ud800', '</script>', ' '];
const PAYLOADS: ExecutionResult[] = [
  {
    data: { citySummary: { seq: 7, progress: 41.25, name: 'Tanjungpinang "Kota Pusaka"', late: [], nested: { a: null, b: [1, 2.5, -0] } } },
  },
  { data: { cityEvents: { seq: 1, kind: 'PROGRESS_REPORTED', at: '2026-11-30T00:00:00.000Z', note: 'ünïcødé 😀 \u2028' } } },
  { data: null, errors: [new GraphQLError('Tidak ditemukan', { extensions: { code: 'NOT_FOUND' } })] },
];

/** What graphql-ws 6 sends for a result: `JSON.stringify` of the whole message, its payload the formatted result or its own default. */
function graphqlWsFrame(id: string, result: ExecutionResult, formatted?: FormattedExecutionResult): string {
  const { errors, ...rest } = result;
  const payload = formatted ?? { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) };
  return JSON.stringify({ id, type: 'next', payload });
}

describe('next frames made of pieces', () => {
  it("joined, are byte for byte graphql-ws's frame, for any id, shared or not, formatted or not", () => {
    for (const id of IDS) {
      for (const result of PAYLOADS) {
        for (const shared of [false, true]) {
          const r = shared ? markShared({ ...result }) : { ...result };
          const frame = Buffer.concat(nextFrameParts(frameHead(id), r, () => undefined));
          expect(frame.equals(Buffer.from(graphqlWsFrame(id, result)))).toBe(true);
          const formatted: FormattedExecutionResult = {
            data: { formatted: id },
            errors: [{ message: 'x', extensions: { code: 'INTERNAL' } }],
          };
          const withFormat = Buffer.concat(
            nextFrameParts(frameHead(id), shared ? markShared({ ...result }) : { ...result }, () => formatted),
          );
          expect(withFormat.equals(Buffer.from(graphqlWsFrame(id, result, formatted)))).toBe(true);
        }
      }
    }
  });

  it('serialise a shared result once, whatever the number of sockets: every frame holds the same payload buffer', () => {
    for (const result of PAYLOADS) {
      const shared = markShared({ ...result });
      let formats = 0;
      const before = frameCounters.serialised;
      const parts = IDS.map((id) =>
        nextFrameParts(frameHead(id), shared, () => {
          formats++;
          return undefined;
        }),
      );
      expect(formats).toBe(1);
      expect(frameCounters.serialised - before).toBe(1);
      for (const p of parts) expect(p[1]).toBe(parts[0]![1]);
    }
  });
});
