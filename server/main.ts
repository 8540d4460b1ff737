import 'reflect-metadata';
import { loadSettings, SettingsError } from './env';
import { startServer } from './server';

/** Boot: settings → database → HTTP; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(settings);
  const where = settings.databaseUrl ? 'PostgreSQL' : `SQLite (${server.target.dialect === 'sqlite' ? server.target.file : ''})`;
  console.log(`[pantau] Pantau berjalan di ${server.url.replace('127.0.0.1', 'localhost')} — GraphQL: /graphql, playground: /playground — data: ${where}`);
  if (settings.demo) console.log('[pantau] Demo: masuk dengan admin@pantau.demo / pantau-demo (lihat README untuk akun lain)');
  const stop = (signal: string) => {
    console.log(`[pantau] ${signal}: berhenti…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('[pantau] Gagal memulai / failed to start:', error);
  process.exit(1);
});
