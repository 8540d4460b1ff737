import { describe, expect, it } from 'vitest';
import { safeError } from '../../server/observability/logger';
import { Metrics } from '../../server/observability/metrics';

describe('observability, pure parts', () => {
  it('logs a database error without its SQL statement (whose inlined values may be secrets)', () => {
    // How knex (under MikroORM) words a failed statement: `<sql with values> - <driver message>`.
    const error = Object.assign(
      new Error(
        'insert into "users" ("email", "password_hash") values (\'a@b.id\', \'$argon2id$v=19$secret\') - duplicate key value violates unique constraint "users_email_unique"',
      ),
      { code: '23505', name: 'UniqueConstraintViolationException' },
    );
    error.name = 'UniqueConstraintViolationException';
    Object.assign(error, { sqlState: '23505' });
    const logged = safeError(error);
    expect(logged).toMatchObject({
      type: 'UniqueConstraintViolationException',
      code: '23505',
      message: 'duplicate key value violates unique constraint "users_email_unique"',
    });
    expect(JSON.stringify(logged)).not.toMatch(/argon2|a@b\.id|insert into/);
    expect(String(logged.stack)).toMatch(/^UniqueConstraintViolationException: duplicate key[^\n]*\n\s+at /);
    // Anything else keeps its message.
    expect(safeError(new TypeError('x is not a function'))).toMatchObject({ type: 'TypeError', message: 'x is not a function' });
    expect(safeError('plain')).toEqual({ message: 'plain' });
  });

  it('keeps label values bounded: names that are not GraphQL names, a value past the cap and invented close codes are `other`', async () => {
    const metrics = new Metrics();
    expect(metrics.operation('cityEvents')).toBe('cityEvents');
    expect(metrics.operation('has space')).toBe('other');
    expect(metrics.operation(null)).toBe('other');
    for (let i = 0; i < 300; i++) metrics.operation(`field${i}`);
    expect(metrics.operation('field10')).toBe('field10');
    expect(metrics.operation('field250')).toBe('other');
    metrics.socketOpened();
    metrics.socketClosed(4321);
    metrics.socketOpened();
    metrics.socketClosed(1012);
    metrics.error('not a code');
    const text = await metrics.render();
    expect(text).toMatch(/^pantau_websocket_closes_total\{code="other"\} 1$/m);
    expect(text).toMatch(/^pantau_websocket_closes_total\{code="1012"\} 1$/m);
    expect(text).toMatch(/^pantau_graphql_errors_total\{code="other"\} 1$/m);
    expect(text).toMatch(/^pantau_websocket_sockets 0$/m);
  });
});
