/**
 * Creates a user on the configured database (`npm run user:create -- --email … --name … --role …`),
 * validated as the API's `createUser` validates it. The first platform admin of a new deployment
 * is made this way (or with PANTAU_ADMIN_EMAIL/PANTAU_ADMIN_PASSWORD).
 *
 *   --email   the login email
 *   --name    the person's name
 *   --role    PLATFORM_ADMIN | CITY_ADMIN | OPD_REPORTER | VIEWER | EVALUATOR
 *   --city    a city's id or name (CITY_ADMIN, OPD_REPORTER, VIEWER; EVALUATOR: a comma list)
 *   --opd     an OPD's id, name or abbreviation in that city (OPD_REPORTER)
 *
 * The password comes from PANTAU_USER_PASSWORD, or is asked for (without echo) on a terminal.
 * Settings (DATABASE_URL, DATA_DIR, `.env`) are the server's. Exit codes: 0 created, 2 a wrong
 * argument or a value the API would refuse, 4 the database is unreachable or missing, 1 anything else.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/core';
import { migrate, withSchemaLock } from '../server/db/migrate';
import { databaseTarget, openOrm } from '../server/db/orm';
import { loadSettings, SettingsError } from '../server/env';
import { requestScope, type Locale } from '../server/i18n';
import { City } from '../server/modules/cities/city.entity';
import { Opd } from '../server/modules/opds/opd.entity';
import { newUser } from '../server/modules/users/user.service';
import { Role } from '../server/modules/users/user.entity';
import { explainStartFailure, ExitCode, loadDotEnv, StartupError } from '../server/startup';
import { isUuid } from '../server/util/ids';

const texts = {
  usage: {
    id: 'Pemakaian: npm run user:create -- --email <email> --name <nama> --role <{roles}> [--city <id atau nama>] [--opd <id, nama atau singkatan>]',
    en: 'Usage: npm run user:create -- --email <email> --name <name> --role <{roles}> [--city <id or name>] [--opd <id, name or abbreviation>]',
  },
  badRole: { id: 'Peran "{role}" tidak dikenal; pilih salah satu: {roles}', en: 'Unknown role "{role}"; choose one of: {roles}' },
  noPassword: {
    id: 'Kata sandi tidak ada: set PANTAU_USER_PASSWORD atau jalankan di terminal untuk mengetiknya.',
    en: 'No password: set PANTAU_USER_PASSWORD or run this on a terminal to type it.',
  },
  prompt: { id: 'Kata sandi (tidak ditampilkan): ', en: 'Password (not shown): ' },
  noCity: { id: 'Kota "{city}" tidak ditemukan.', en: 'City "{city}" not found.' },
  noOpd: { id: 'OPD "{opd}" tidak ditemukan di kota ini.', en: 'OPD "{opd}" not found in this city.' },
  created: { id: 'Pengguna {email} ({role}) dibuat.', en: 'Created user {email} ({role}).' },
} as const;

class UsageError extends Error {}

function say(lang: Locale, key: keyof typeof texts, params: Record<string, string> = {}): string {
  return texts[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new UsageError('^C'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    input.on('data', onData);
  });
}

async function findCity(em: EntityManager, ref: string, lang: Locale): Promise<City> {
  const city = isUuid(ref)
    ? await em.findOne(City, { id: ref, archivedAt: null })
    : (await em.find(City, { archivedAt: null })).find((c) => c.name.toLowerCase() === ref.trim().toLowerCase());
  if (!city) throw new UsageError(say(lang, 'noCity', { city: ref }));
  return city;
}

async function findOpd(em: EntityManager, city: City, ref: string, lang: Locale): Promise<Opd> {
  const wanted = ref.trim().toLowerCase();
  const opd = (await em.find(Opd, { city, archivedAt: null })).find(
    (o) => o.id === ref || o.name.toLowerCase() === wanted || o.abbreviation.toLowerCase() === wanted,
  );
  if (!opd) throw new UsageError(say(lang, 'noOpd', { opd: ref }));
  return opd;
}

async function main(lang: Locale): Promise<number> {
  const roles = Object.values(Role).join('|');
  let args;
  try {
    args = parseArgs({
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        city: { type: 'string' },
        opd: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch {
    throw new UsageError(say(lang, 'usage', { roles }));
  }
  if (!args.email || !args.name || !args.role) throw new UsageError(say(lang, 'usage', { roles }));
  const role = args.role.toUpperCase() as Role;
  if (!Object.values(Role).includes(role))
    throw new UsageError(say(lang, 'badRole', { role: args.role, roles: Object.values(Role).join(', ') }));
  let password = process.env.PANTAU_USER_PASSWORD ?? '';
  if (!password) {
    if (!process.stdin.isTTY) throw new UsageError(say(lang, 'noPassword'));
    password = await promptHidden(say(lang, 'prompt'));
  }
  const settings = loadSettings({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32) });
  const target = databaseTarget(settings.databaseUrl, settings.dataDir);
  let orm;
  try {
    orm = await openOrm(target, undefined, { createDatabase: settings.createDatabase });
  } catch (error) {
    throw explainStartFailure(error, settings) ?? error;
  }
  try {
    const user = await withSchemaLock(target, async () => {
      await migrate(orm);
      const em = orm.em.fork();
      const evaluator = role === Role.EVALUATOR;
      const city = args.city && !evaluator ? await findCity(em, args.city, lang) : null;
      const evaluatorCityIds =
        evaluator && args.city ? await Promise.all(args.city.split(',').map(async (ref) => (await findCity(em, ref, lang)).id)) : null;
      const opd = args.opd && city ? await findOpd(em, city, args.opd, lang) : null;
      const created = await newUser(
        em,
        {
          email: args.email!,
          name: args.name!,
          password,
          role,
          cityId: city?.id ?? null,
          opdId: opd?.id ?? (args.opd && !city ? args.opd : null),
          evaluatorCityIds,
        },
        city,
      );
      await em.persistAndFlush(created);
      return created;
    });
    console.log(say(lang, 'created', { email: user.email, role: user.role }));
    return ExitCode.OK;
  } finally {
    await orm.close(true);
  }
}

const envLang = (): Locale => (process.env.PANTAU_LANG?.trim().toLowerCase() === 'en' ? 'en' : 'id');
try {
  loadDotEnv();
} catch (error) {
  console.error(`[pantau] ${(error as StartupError).line(envLang())}`);
  process.exit(ExitCode.CONFIG);
}
const lang = envLang();
requestScope
  .run({ locale: lang, requestId: 'user:create' }, () => main(lang))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    // One line for anything the person can fix: a wrong argument, a refused value (with its field), settings, the database.
    if (error instanceof UsageError) console.error(`[pantau] ${error.message}`);
    else if (error instanceof GraphQLError)
      console.error(
        `[pantau] ${(typeof error.extensions.field === 'string' ? error.extensions.field : '').replace(/^input\./, '--')}: ${error.message}`,
      );
    else if (error instanceof SettingsError)
      console.error(`[pantau] ${(envLang() === 'en' ? error.problems : error.problemsId).join('; ')}`);
    else if (error instanceof StartupError) {
      console.error(`[pantau] ${error.line(lang)}`);
      process.exitCode = error.exitCode;
      return;
    } else {
      console.error(error);
      process.exitCode = ExitCode.UNEXPECTED;
      return;
    }
    process.exitCode = ExitCode.CONFIG;
  });
