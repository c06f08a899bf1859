/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  // NodeNext imports end in .js; map them back to the .ts sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  clearMocks: true,
  // Many suites spawn processes (the cluster double, real Go builds, tar and
  // zstd). The limit guards against hangs and leaves room for a loaded
  // 2-core machine; the end-to-end suites set larger ones per test.
  testTimeout: 600000,
  collectCoverageFrom: ['src/**/*.ts', '!src/entry/**'],
  coverageReporters: ['text-summary', 'lcov']
}
