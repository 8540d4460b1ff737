// The instance's one timer over its sockets: token expiry, slow consumers, keep-alive, and the
// batch re-check. Every second it looks at the sockets that can expire or were seen over the
// buffer limit, and at its share of all sockets: each is visited once per keep-alive round (ping,
// and a buffer check for what no write noticed), a round's visits spread over its seconds so that
// 10,000 pings are not one burst of writes holding up everything else (profiled at 10,000: ~240 ms
// in one go). Keep-alive: a socket heard from since its last visit (our dashboard's client pings
// every 10 s) is not pinged; a silent one is pinged, and dropped if still silent at its next
// visit. So a silent peer is pinged at most every other round, and a dead one is dropped within three.
import { SocketCloseCode } from './close-codes';
import type { SocketRegistry, SocketState } from './socket-registry';

/** What the ticker checks, and how often (units in the names). */
export interface SocketTickerOptions {
  keepAliveMs: number;
  /** A socket over the buffer limit this long is closed (1013). */
  slowConsumerMs: number;
  /** How often every socket's token is re-checked against the database (`recheck`). */
  recheckMs: number;
  recheck(): void;
  /** Runs every second after the sockets (the socket caps' own upkeep). */
  tick(): void;
}

/** Starts the ticker; returns how to stop it. */
export function startSocketTicker(registry: SocketRegistry, options: SocketTickerOptions): () => void {
  const { keepAliveMs, slowConsumerMs, recheckMs } = options;
  const max = registry.maxBufferedBytes;
  const roundTicks = Math.max(1, Math.round(keepAliveMs / 1_000));
  const keepAlive = (state: SocketState, now: number): void => {
    if (state.socket.bufferedAmount > max) {
      // Over the limit (it is not reading): handled by the buffer check from the next second on, not pinged.
      state.slowSince ??= now;
      registry.buffered.add(state);
      return;
    }
    if (registry.buffered.has(state)) return;
    if (state.heard) {
      state.heard = false;
      state.pinged = false;
      return;
    }
    if (state.pinged) {
      registry.forget(state);
      state.socket.terminate();
      return;
    }
    state.pinged = true;
    state.socket.ping();
  };
  /** The sockets of the current keep-alive round (open when it began), and how many were visited. */
  let round: (SocketState | null)[] = [];
  let visited = 0;
  const visit = (now: number, until: number): void => {
    for (; visited < until; visited++) {
      const state = round[visited];
      round[visited] = null; // no closed socket kept for the rest of the round
      if (state && registry.current(state)) keepAlive(state, now);
    }
  };
  /** Closes expired tokens' sockets, and slow consumers; a socket that drained may be fed again. */
  const checkWatched = (now: number): void => {
    for (const state of registry.expiring) {
      if (state.expiresAt <= now) registry.close(state, SocketCloseCode.Unauthorized, 'Unauthorized');
    }
    for (const state of registry.buffered) {
      if (state.socket.bufferedAmount > max) {
        state.slowSince ??= now;
        if (now - state.slowSince >= slowConsumerMs) {
          registry.close(state, SocketCloseCode.TryAgainLater, 'Too slow: reconnect and resubscribe');
          // It does not read, so it won't answer the close frame either.
          setTimeout(() => state.socket.terminate(), 1_000).unref();
        }
        continue;
      }
      registry.buffered.delete(state);
      state.slowSince = null;
      if (state.resume) {
        state.resume.resolve();
        state.resume = null;
      }
    }
  };
  let ticks = 0;
  const ticker = setInterval(() => {
    const now = Date.now();
    ticks++;
    checkWatched(now);
    // A round begins every `roundTicks` seconds with the sockets open then (what the last one left,
    // normally nothing, is visited first); each second visits its share of them.
    if (ticks % roundTicks === 0) {
      visit(now, round.length);
      round = registry.all();
      visited = 0;
    }
    visit(now, Math.min(round.length, visited + Math.ceil(round.length / roundTicks)));
    if (ticks % Math.max(1, Math.round(recheckMs / 1_000)) === 0) options.recheck();
    options.tick();
  }, 1_000);
  ticker.unref();
  return () => clearInterval(ticker);
}
