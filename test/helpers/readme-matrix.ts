import fs from 'node:fs';
import path from 'node:path';

/** The roles, in the README table's column order (SCREEN: a meeting-room screen token). */
export const MATRIX_ROLES = ['PLATFORM_ADMIN', 'CITY_ADMIN', 'OPD_REPORTER', 'VIEWER', 'EVALUATOR', 'SCREEN'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

/** One cell: allowed, forbidden, or allowed only on the reporter's own OPD / for reporters and viewers. */
export type Cell = 'allow' | 'deny' | 'own-opd' | 'reporters-viewers';

/** The README's role matrix (between the role-matrix markers), mutation → role → cell. */
export function readRoleMatrix(): Map<string, Record<MatrixRole, Cell>> {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = readme.split('<!-- role-matrix:start -->')[1]?.split('<!-- role-matrix:end -->')[0];
  if (!block) throw new Error('README has no role matrix');
  const matrix = new Map<string, Record<MatrixRole, Cell>>();
  for (const line of block
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2)) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const parse = (c: string): Cell =>
      c === '✓'
        ? 'allow'
        : c === '✗'
          ? 'deny'
          : c === 'own OPD'
            ? 'own-opd'
            : c === 'reporters, viewers'
              ? 'reporters-viewers'
              : (() => {
                  throw new Error(`unknown cell "${c}"`);
                })();
    const row = Object.fromEntries(MATRIX_ROLES.map((r, i) => [r, parse(cells[i + 1] ?? '')])) as Record<MatrixRole, Cell>;
    for (const name of (cells[0] ?? '').split(',').map((n) => n.trim())) matrix.set(name, row);
  }
  return matrix;
}
