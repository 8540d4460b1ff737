/**
 * Every close code a Pantau WebSocket can end with, in one place (README "Live updates" lists
 * them), shared with the browser client (`dashboard/src/api/socket.ts`): nothing here may import.
 * graphql-ws's own codes keep their numbers; Pantau adds the ones it needs.
 */
export enum SocketCloseCode {
  /** The server is restarting or shutting down: reconnect (to another instance) at once. */
  ServiceRestart = 1012,
  /**
   * The client did not read what it was sent (its buffer stayed over the limit), or its token could
   * not be checked at `connection_init` (the database did not answer): reconnect (and resubscribe
   * with `afterSeq`).
   */
  TryAgainLater = 1013,
  /** A message that is not graphql-ws (graphql-ws). */
  BadRequest = 4400,
  /** The token expired or was revoked, or the user was archived: log in again. */
  Unauthorized = 4401,
  /** `connection_init` carried no valid token. */
  Forbidden = 4403,
  /** No `connection_init` within the wait (3 s). */
  ConnectionInitialisationTimeout = 4408,
  /** Two operations with one id (graphql-ws). */
  SubscriberAlreadyExists = 4409,
  /** A second `connection_init` (graphql-ws). */
  TooManyInitialisationRequests = 4429,
  /** This user (or screen token) already has the most open sockets allowed (`WS_MAX_SOCKETS_PER_SUBJECT`). */
  TooManySockets = 4430,
  /** Sent by Pantau's browser client, never by the server: it starts its subscriptions over (after an error result). */
  ClientResubscribe = 4000,
  /** Sent by Pantau's browser client, never by the server: a ping got no pong in time (a dead link); it reconnects. */
  ClientPongTimeout = 4001,
}
