import type http from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

/** What graphql-ws's context carries of a socket (the same as `graphql-ws/use/ws`'s `Extra`). */
export interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: http.IncomingMessage;
}

/**
 * graphql-ws on a `ws` server: graphql-ws's own `useServer` (graphql-ws/use/ws), trimmed to what
 * Pantau needs (the results of shared subscriptions bypass it: direct.ts writes them), and:
 * - nothing per socket but graphql-ws's own state and the listeners: no keep-alive timer (the
 *   instance's one ticker pings every socket), and `send` does not wait for the write callback
 *   (backpressure is handled by pacing on `bufferedAmount` in ws.ts).
 */
export function serveGraphqlWs(
  options: ServerOptions<Record<string, unknown> | undefined, SocketExtra>,
  wss: WebSocketServer,
  log: (message: string) => void,
  /** Called after every frame graphql-ws sends on a socket (pacing). */
  sent: (socket: WebSocket) => void = () => {},
  /** Whether a new socket is served at all (false: it was refused and closed; graphql-ws never sees it). */
  admit: (socket: WebSocket, request: http.IncomingMessage) => boolean = () => true,
): { dispose(): Promise<void> } {
  const server = makeServer<Record<string, unknown> | undefined, SocketExtra>(options);
  wss.options.handleProtocols = handleProtocols;
  const internalError = (socket: WebSocket, error: unknown) => {
    log(`WebSocket: ${error instanceof Error ? error.message : String(error)}`);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wss.once('error', (error) => {
    for (const client of wss.clients) internalError(client, error);
  });
  wss.on('connection', (socket, request) => {
    socket.once('error', (error) => internalError(socket, error));
    if (!admit(socket, request)) return;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send(data) {
          if (socket.readyState !== socket.OPEN) return;
          socket.send(data);
          sent(socket);
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (onMessage) =>
          socket.on('message', (data) => {
            onMessage(rawText(data)).catch((error: unknown) => internalError(socket, error));
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      closed(code, String(reason)).catch((error: unknown) => log(`WebSocket close: ${String(error)}`));
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A `ws` message as text (a Buffer, or its fragments). */
function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
