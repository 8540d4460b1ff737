import os from 'node:os';
import path from 'node:path';

/** Every template database (PostgreSQL) and folder (SQLite) is named `pantau_tpl_<run>_<kind>`. */
export const TEMPLATE_PREFIX = 'pantau_tpl_';

/** The folder of SQLite templates: one subfolder per template, `<run>_<kind>`. */
export const templateRoot = (): string => path.join(os.tmpdir(), 'pantau-templates');

/** Where a clone comes from: a PostgreSQL template database's name, or a SQLite template folder. */
export type TemplateSource = { dialect: 'postgres'; database: string } | { dialect: 'sqlite'; folder: string };
