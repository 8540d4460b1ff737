import { describe, expect, it } from 'vitest';
import { makeServer } from 'graphql-ws';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { frameReplacer, markShared, spliceFrame, splicedPayload, takeFrame } from '../../server/realtime/frames';

// Ids are chosen by clients: quotes, backslashes, controls, non-ASCII, emoji, a lone surrogate.
const IDS = ['1', 'a"b', 'back\\slash', 'line\nbreak\u0001', 'ünïcødé', '😀 id', '\ud800', '</script>', ' '];
const PAYLOADS: ExecutionResult[] = [
  {
    data: { citySummary: { seq: 7, progress: 41.25, name: 'Tanjungpinang "Kota Pusaka"', late: [], nested: { a: null, b: [1, 2.5, -0] } } },
  },
  { data: { cityEvents: { seq: 1, kind: 'PROGRESS_REPORTED', at: '2026-11-30T00:00:00.000Z', note: 'ünïcødé 😀 \u2028' } } },
  { data: null, errors: [new GraphQLError('Tidak ditemukan', { extensions: { code: 'NOT_FOUND' } })] },
];

describe('spliced frames', () => {
  it('are byte for byte what JSON.stringify of the whole message gives, for any id', () => {
    for (const id of IDS) {
      for (const result of PAYLOADS) {
        const { errors, ...rest } = result;
        const payload = { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) };
        const expected = Buffer.from(JSON.stringify({ id, type: 'next', payload }));
        expect(spliceFrame(id, Buffer.from(JSON.stringify(payload))).equals(expected)).toBe(true);
      }
    }
  });

  it('go through graphql-ws unchanged: one serialisation per shared result, the same frames as graphql-ws sends itself', async () => {
    // Two graphql-ws servers on in-memory sockets: one as graphql-ws ships, one with the splice hooks.
    const run = async (splice: boolean, results: ExecutionResult[]) => {
      const sent: (string | Buffer)[] = [];
      let formats = 0;
      const server = makeServer({
        schema: undefined as never,
        ...(splice ? { jsonMessageReplacer: frameReplacer } : {}),
        onSubscribe: () => ({
          schema: undefined as never,
          document: {
            kind: 'Document',
            definitions: [
              { kind: 'OperationDefinition', operation: 'subscription', selectionSet: { kind: 'SelectionSet', selections: [] } },
            ],
          } as never,
        }),
        subscribe: async () =>
          (async function* () {
            yield* results;
          })(),
        onNext: (_ctx, _id, _payload, _args, result) => {
          if (!splice) return undefined;
          return splicedPayload(result, () => {
            formats++;
            return undefined;
          }) as never;
        },
      });
      let onMessage: (data: string) => Promise<void> = async () => {};
      server.opened(
        {
          protocol: 'graphql-transport-ws',
          send: (data) => void sent.push(splice ? takeFrame(data) : data),
          close: () => {},
          onMessage: (cb) => (onMessage = cb),
        },
        {},
      );
      await onMessage(JSON.stringify({ type: 'connection_init' }));
      for (const id of IDS) await onMessage(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { x }' } }));
      return { sent: sent.map((f) => Buffer.from(f).toString('utf8')), formats };
    };
    const shared = PAYLOADS.map((p) => markShared({ ...p }));
    const plain = await run(false, shared);
    const spliced = await run(true, shared);
    expect(spliced.sent).toEqual(plain.sent);
    expect(plain.sent.filter((f) => f.includes('"type":"next"'))).toHaveLength(IDS.length * PAYLOADS.length);
    // Formatted (and serialised) once per result, not once per subscriber.
    expect(spliced.formats).toBe(PAYLOADS.length);
  });
});
