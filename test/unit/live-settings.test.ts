import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../server/env';
import { SocketCloseCode } from '../../server/realtime/close-codes';

describe('the live-update settings and close codes', () => {
  it('have the documented defaults, are overridable and validated', () => {
    expect(loadSettings({}).live).toEqual({
      maxReplay: 1_000,
      maxSocketsPerSubject: 20,
      maxUnauthenticatedPerAddress: 200,
      maxBufferedBytes: 4_194_304,
      slowConsumerMs: 10_000,
      recheckMs: 60_000,
      directWrites: true,
    });
    expect(
      loadSettings({
        LIVE_MAX_REPLAY: '50',
        WS_MAX_SOCKETS_PER_SUBJECT: '3',
        WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '7',
        WS_MAX_BUFFERED_BYTES: '65536',
        WS_SLOW_CONSUMER_SECONDS: '2',
        WS_RECHECK_SECONDS: '30',
        WS_DIRECT_WRITES: 'off',
      }).live,
    ).toEqual({
      maxReplay: 50,
      maxSocketsPerSubject: 3,
      maxUnauthenticatedPerAddress: 7,
      maxBufferedBytes: 65_536,
      slowConsumerMs: 2_000,
      recheckMs: 30_000,
      directWrites: false,
    });
    expect(() =>
      loadSettings({
        LIVE_MAX_REPLAY: '0',
        WS_MAX_SOCKETS_PER_SUBJECT: 'many',
        WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '0',
        WS_MAX_BUFFERED_BYTES: '10',
        WS_SLOW_CONSUMER_SECONDS: '-1',
        WS_RECHECK_SECONDS: '0',
      }),
    ).toThrow(
      /LIVE_MAX_REPLAY[\s\S]*WS_MAX_SOCKETS_PER_SUBJECT[\s\S]*WS_MAX_UNAUTHENTICATED_PER_ADDRESS[\s\S]*WS_MAX_BUFFERED_BYTES[\s\S]*WS_SLOW_CONSUMER_SECONDS[\s\S]*WS_RECHECK_SECONDS/,
    );
  });

  it('keep the numbers the README documents', () => {
    expect({ ...SocketCloseCode }).toMatchObject({
      ServiceRestart: 1012,
      TryAgainLater: 1013,
      BadRequest: 4400,
      Unauthorized: 4401,
      Forbidden: 4403,
      ConnectionInitialisationTimeout: 4408,
      SubscriberAlreadyExists: 4409,
      TooManyInitialisationRequests: 4429,
      TooManySockets: 4430,
    });
  });
});
