// ESLint: typescript-eslint's type-checked rules over every TypeScript file of the repository
// (server, scripts, bench, tests, the dashboard and the playground). Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', '**/*.js', '**/*.mjs', 'server/db/migrations/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Async functions that never await implement Promise-returning contracts (PubSub, the rate-limit store, Apollo plugins,
      // resolver hooks, test stubs); `async` turns a throw into a rejection, which is what their callers handle.
      '@typescript-eslint/require-await': 'off',
      // Passing a caught `unknown` on as a rejection keeps the error as it was thrown.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Unused arguments are allowed when named with a leading underscore (type-graphql resolver signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and the load harnesses (bench, soak) read GraphQL responses as untyped JSON.
    files: ['test/**/*.ts', '**/*.test.ts', '**/*.test.tsx', 'bench/**/*.ts', 'scripts/soak.ts'],
    rules: {
      // Tests read GraphQL responses as untyped JSON and assert on their shape; typing every response would add noise, not safety.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests spell out the types of what they destructure, for the reader, even where the compiler infers them.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Tests print WebSocket frames (Buffers) and close reasons with String().
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
);
