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
  // The end-to-end suites run real Go builds and real tar/zstd archives.
  testTimeout: 120000,
  collectCoverageFrom: ['src/**/*.ts', '!src/entry/**'],
  coverageReporters: ['text-summary', 'lcov']
}
