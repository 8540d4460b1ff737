import { Client } from 'pg';
import { StartupError } from '../startup';

/** PostgreSQL's "database does not exist" (invalid_catalog_name). */
const MISSING_DATABASE = '3D000';

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** `-h host -p port -U user ` for the `createdb` hint (what the URL names). */
function createdbArgs(url: string): string {
  const { hostname, port, username } = new URL(url);
  return [hostname && `-h ${hostname}`, port && `-p ${port}`, username && `-U ${decodeURIComponent(username)}`]
    .filter(Boolean)
    .map((a) => `${a} `)
    .join('');
}

/**
 * Makes sure the PostgreSQL database of `url` answers before the ORM opens it: an unreachable
 * server is a `StartupError` (`databaseUnreachable`), and so is a missing database
 * (`databaseMissing`, naming the `createdb` command) unless `create` is set, in which case it is
 * created on the server's `postgres` database. MikroORM's own silent creation is off (`ormOptions`).
 */
export async function ensurePostgresDatabase(url: string, create: boolean): Promise<void> {
  const name = databaseName(url);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== MISSING_DATABASE) {
      throw new StartupError('databaseUnreachable', {
        where: new URL(url).host || 'localhost',
        reason: (error as Error).message || String(code),
      });
    }
    if (!create) throw new StartupError('databaseMissing', { name, args: createdbArgs(url) });
  } finally {
    await client.end().catch(() => {});
  }
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end().catch(() => {});
  }
}
