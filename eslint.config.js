import eslint from '@eslint/js'
import jest from 'eslint-plugin-jest'
import prettier from 'eslint-config-prettier'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

// Every module under src/ is pure (data in, data out) except the adapters,
// the orchestrators (with the main step's phases) and the entries. The rule below enforces that split.
const IMPURE_SOURCES = [
  'src/adapters/**',
  'src/entry/**',
  'src/main.ts',
  'src/phases/**',
  'src/deps/**',
  'src/post.ts',
  'src/cli.ts'
]

export default defineConfig(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'bench/results/',
      '.tmp/',
      'examples/**/vendor/'
    ]
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname
      }
    }
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked]
  },
  { files: ['__tests__/**/*.ts'], ...jest.configs['flat/recommended'] },
  {
    // Tests that skip without their data (test-support/test-data) are tests.
    files: ['__tests__/**/*.ts'],
    rules: {
      'jest/no-standalone-expect': [
        'error',
        {
          additionalTestBlockFunctions: [
            'itSchemas',
            'itSchemas.each',
            'itWithSeed'
          ]
        }
      ]
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: IMPURE_SOURCES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*'],
              message: 'Pure module: move toolkit calls to src/adapters/.'
            }
          ],
          paths: [
            {
              name: 'node:fs',
              message: 'Pure module: file I/O belongs in src/adapters/.'
            },
            {
              name: 'node:fs/promises',
              message: 'Pure module: file I/O belongs in src/adapters/.'
            },
            {
              name: 'fs',
              message: 'Pure module: file I/O belongs in src/adapters/.'
            },
            {
              name: 'node:child_process',
              message: 'Pure module: processes belong in src/adapters/.'
            },
            {
              name: 'child_process',
              message: 'Pure module: processes belong in src/adapters/.'
            }
          ]
        }
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Pure module: pass env facts in.' }
      ]
    }
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' }
  },
  prettier
)
