import 'reflect-metadata';
import { loadSettings, SettingsError } from './env';
import { startServer } from './server';
import { checkDataDir, checkPort, explainStartFailure, ExitCode, loadDotEnv, runningLines, startupText, StartupError } from './startup';
import { User } from './modules/users/user.entity';

/** The log's language before the settings are read (PANTAU_LANG, default Indonesian). */
function envLang(): 'id' | 'en' {
  return process.env.PANTAU_LANG?.trim().toLowerCase() === 'en' ? 'en' : 'id';
}

/** Boot: settings → database → HTTP; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let settings;
  try {
    // `.env` in the working folder; variables already in the environment win.
    loadDotEnv();
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError || error instanceof StartupError) {
      console.error(`[pantau] ${error instanceof StartupError ? error.line(envLang()) : error.text(envLang())}`);
      process.exit(ExitCode.CONFIG);
    }
    throw error;
  }
  let server;
  try {
    checkDataDir(settings);
    await checkPort(settings);
    server = await startServer(settings);
  } catch (error) {
    // What an operator can fix is one line without a stack; anything else keeps its stack (exit 1).
    const known = explainStartFailure(error, settings);
    if (!known) throw error;
    console.error(`[pantau] ${known.line(settings.lang)}`);
    process.exit(known.exitCode);
  }
  const where = settings.databaseUrl ? 'PostgreSQL' : `SQLite (${server.target.dialect === 'sqlite' ? server.target.file : ''})`;
  for (const line of runningLines(settings, server.url, where, Boolean(process.env.HOST?.trim()))) console.log(`[pantau] ${line}`);
  if ((await server.orm.em.fork().count(User, {})) === 0) {
    const bar = '!'.repeat(100);
    console.warn(`[pantau] ${bar}\n[pantau] ${startupText('noUser', {}, settings.lang)}\n[pantau] ${bar}`);
  }
  // SIGTERM/SIGINT: the graceful shutdown (server.ts `close`), then exit 0. A second signal, or a
  // shutdown that outlives its delay and grace by 15 s, exits 1 at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error(`[pantau] ${startupText('forced', { signal }, settings.lang)}`);
      process.exit(1);
    }
    stopping = true;
    const { readyDelayMs, graceMs } = settings.shutdown;
    console.log(`[pantau] ${startupText('stopping', { signal, delay: readyDelayMs / 1_000, grace: graceMs / 1_000 }, settings.lang)}`);
    setTimeout(
      () => {
        console.error(`[pantau] ${startupText('forced', { signal: 'timeout' }, settings.lang)}`);
        process.exit(1);
      },
      readyDelayMs + graceMs + 15_000,
    ).unref();
    server.close().then(
      () => {
        console.log(`[pantau] ${startupText('stopped', {}, settings.lang)}`);
        process.exit(0);
      },
      (error: unknown) => {
        server.observe.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[pantau] ${startupText('failed', {}, envLang())}`, error);
  process.exit(1);
});
