import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { entityLabel, t, type MessageKey } from './i18n';

/** Every `extensions.code` the API answers with. Clients switch on these, never on messages. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
  /** The instance is shutting down (HTTP 503, `Retry-After`): send the request again, another instance answers. */
  UNAVAILABLE = 'UNAVAILABLE',
}

/** An error meant for the client: a message in the request's language and a typed code. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

/** Invalid input; `field` names the offending input field (`input.percent`). */
export function badInput(field: string, key: MessageKey, params: Record<string, string | number> = {}): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, t(key, params), { field });
}

/** No object with that id, or one the viewer may not see (the two are indistinguishable on purpose). */
export function notFound(entity: string, id?: string, field?: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, t('notFound', { entity: entityLabel(entity) }), {
    entity,
    ...(id === undefined ? {} : { id }),
    ...(field === undefined ? {} : { field }),
  });
}

/** The viewer is known but may not do this. */
export function forbidden(): AppError {
  return new AppError(ErrorCode.FORBIDDEN, t('forbidden'));
}

/** No valid credentials. */
export function unauthenticated(key: 'unauthenticated' | 'invalidToken' | 'badCredentials' = 'unauthenticated'): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, t(key));
}

/** A stale `expectedVersion`: somebody else wrote first. Nothing of this write was kept. */
export function conflict(entity: string, expected?: number, actual?: number): AppError {
  const message = expected === undefined || actual === undefined ? t('conflictUnknown') : t('conflict', { expected, actual });
  return new AppError(ErrorCode.CONFLICT, message, {
    entity,
    ...(expected === undefined ? {} : { expectedVersion: expected }),
    ...(actual === undefined ? {} : { actualVersion: actual }),
  });
}

/**
 * Too many attempts (logins: `rateLimited`), or too much work (`workBudgetSpent`: a subject's work
 * budget is spent): try again in `retryAfterSeconds`. Over HTTP it answers 429 with a
 * `Retry-After` header (Apollo reads `extensions.http` and removes it from the response; another
 * transport must drop it itself).
 */
export function rateLimited(retryAfterSeconds: number, key: 'rateLimited' | 'workBudgetSpent' = 'rateLimited'): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(ErrorCode.RATE_LIMITED, t(key, { seconds }), {
    retryAfterSeconds: seconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
  });
}
