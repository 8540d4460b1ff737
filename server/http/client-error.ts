import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../errors';
import { t, type MessageKey } from '../i18n';
import { API_CSP } from './app';

/** Node's HTTP parser failures, answered before Express sees a request: status, reason, message. */
function answerFor(code: string | undefined): [number, string, MessageKey] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', 'headersTooLarge'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', 'requestTimeout'];
    default:
      return [400, 'Bad Request', 'badRequest'];
  }
}

/**
 * Answers what Node's HTTP parser refuses (headers over its limit: 431; a request that is not
 * HTTP: 400; too slow: 408) with a JSON error like every other edge error, instead of Node's
 * empty body. The headers could not be read, so the message is Indonesian.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    // Nothing to answer on a dead socket or in the middle of a response already under way.
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, key] = answerFor(error.code);
    const body = JSON.stringify({ errors: [{ message: t(key, {}, 'id'), extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
    socket.end(
      [
        `HTTP/1.1 ${status} ${reason}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'X-Content-Type-Options: nosniff',
        `Content-Security-Policy: ${API_CSP}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
