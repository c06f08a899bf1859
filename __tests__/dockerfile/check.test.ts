/** The Dockerfile check: ARG after FROM in every Go stage, target, cache mounts, kaniko flags. */
import { describe, expect, it } from '@jest/globals'
import {
  checkDockerfile,
  checkKanikoFlags
} from '../../src/dockerfile/check.js'

import {
  SEED_DOC,
  itWithData,
  readSeedDoc
} from '../../test-support/test-data/index.js'

/** The final Dockerfile of the hand-built setup, extracted from its write-up ('' without it). */
const FINAL =
  /```Dockerfile\n([\s\S]*?)```/.exec(
    readSeedDoc().slice(readSeedDoc().indexOf('#### _final_ setup'))
  )?.[1] ?? ''

/** The tests built on the write-up's Dockerfile skip without it. */
const itWithSeed = itWithData(SEED_DOC)

const ARGS = ['GOMODCACHE', 'GOCACHE', 'GOPROXY']

const check = (text: string, target = '', buildArgs = ARGS) =>
  checkDockerfile({ file: 'Dockerfile', text, target, buildArgs })

describe('checkDockerfile', () => {
  itWithSeed('passes the seed final Dockerfile', () => {
    expect(FINAL).toContain('ARG GOCACHE')
    expect(check(FINAL)).toEqual([])
  })

  itWithSeed(
    'reports each missing ARG at the FROM line of the Go stage, with the line to add',
    () => {
      const stripped = FINAL.split('\n')
        .filter((l) => !/^ARG (GOPROXY|GOMODCACHE|GOCACHE)/.test(l))
        .join('\n')
      const findings = check(stripped)
      expect(findings.map((f) => [f.kind, f.line, f.fix])).toEqual([
        ['missing-arg', 1, 'ARG GOMODCACHE'],
        ['missing-arg', 1, 'ARG GOCACHE'],
        ['missing-arg', 1, 'ARG GOPROXY']
      ])
      expect(findings[0].message).toMatch(
        /stage "build" runs Go at line 5 .*Add "ARG GOMODCACHE" after line 1/
      )
    }
  )

  itWithSeed('reports only the missing one', () => {
    const text = FINAL.replace('ARG GOCACHE=/root/.cache/go-build\n', '')
    expect(check(text).map((f) => f.fix)).toEqual(['ARG GOCACHE'])
  })

  it('does not count a global ARG before the first FROM', () => {
    const text =
      'ARG GOCACHE\nARG GOMODCACHE\nFROM golang AS build\nRUN go build ./...\n'
    const findings = check(text, '', ['GOMODCACHE', 'GOCACHE'])
    expect(findings.map((f) => [f.line, f.fix])).toEqual([
      [3, 'ARG GOMODCACHE'],
      [3, 'ARG GOCACHE']
    ])
    expect(findings[0].message).toMatch(
      /before the first FROM does not reach the stage/
    )
  })

  it('requires the ARG before the go command, not after it', () => {
    const text =
      'FROM golang\nRUN go mod download\nARG GOCACHE\nARG GOMODCACHE\n'
    expect(check(text, '', ['GOMODCACHE', 'GOCACHE'])).toHaveLength(2)
  })

  const multi = [
    'FROM golang:1.22 AS deps', //          1
    'ARG GOMODCACHE', //                    2
    'RUN go mod download', //               3
    'FROM golang:1.22 AS build', //         4
    'ARG GOMODCACHE', //                    5
    'ARG GOCACHE', //                       6
    'RUN go build -o /app ./cmd/app', //    7
    'FROM build AS test', //                8
    'RUN go test ./...', //                 9
    'FROM gcr.io/distroless/static', //     10
    'COPY --from=build /app /app', //       11
    ''
  ].join('\n')

  it('checks every Go stage of a multi-stage build', () => {
    const findings = check(multi, '', ['GOMODCACHE', 'GOCACHE'])
    expect(findings.map((f) => [f.line, f.fix])).toEqual([
      [1, 'ARG GOCACHE'],
      // ARGs do not carry over into a stage built FROM another stage.
      [8, 'ARG GOMODCACHE'],
      [8, 'ARG GOCACHE']
    ])
  })

  it('checks only the stages up to the target', () => {
    const findings = check(multi, 'build', ['GOMODCACHE', 'GOCACHE'])
    expect(findings.map((f) => [f.line, f.fix])).toEqual([[1, 'ARG GOCACHE']])
  })

  it('reports an unknown target', () => {
    const findings = check(multi, 'nope')
    expect(findings[0].kind).toBe('target-not-found')
    expect(findings[0].message).toMatch(/deps, build, test/)
  })

  it('does not ask for ARG lines of docker predefined proxy args', () => {
    const text = 'FROM golang\nARG GOCACHE\nRUN go build\n'
    expect(check(text, '', ['GOCACHE', 'HTTP_PROXY', 'no_proxy'])).toEqual([])
  })

  it('says when no stage runs Go', () => {
    const findings = check('FROM alpine\nRUN echo hi\n')
    expect(findings.map((f) => f.kind)).toEqual(['no-go-stage'])
  })

  it('flags RUN --mount=type=cache, which kaniko ignores', () => {
    const text =
      'FROM golang\nARG GOCACHE\nARG GOMODCACHE\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n  go build ./...\n'
    const findings = check(text, '', ['GOMODCACHE', 'GOCACHE'])
    expect(findings.map((f) => [f.kind, f.line])).toEqual([
      ['cache-mount-ignored', 4]
    ])
  })

  it('flags an ENV that overrides the cache build arg', () => {
    const text =
      'FROM golang\nARG GOCACHE\nARG GOMODCACHE\nENV GOCACHE=/tmp/x\nRUN go build\n'
    const findings = check(text, '', ['GOMODCACHE', 'GOCACHE'])
    expect(findings.map((f) => [f.kind, f.line])).toEqual([
      ['env-overrides-arg', 4]
    ])
  })
})

describe('a Go stage with a non-root USER', () => {
  const go = (lines: string[]) =>
    [
      'FROM golang:1.22 AS build',
      'ARG GOMODCACHE',
      'ARG GOCACHE',
      'ARG GOPROXY',
      ...lines,
      'FROM gcr.io/distroless/static',
      'USER nonroot',
      'COPY --from=build /out/app /app'
    ].join('\n')

  it('reports the USER in effect when Go runs, at its line', () => {
    const findings = check(go(['USER 65532', 'RUN go build -o /out/app .']))
    expect(findings.map((f) => [f.kind, f.line])).toEqual([
      ['go-stage-user', 5]
    ])
    expect(findings[0].message).toBe(
      'stage "build" runs Go at line 6 as USER 65532 (line 5): kaniko runs RUN as that user, so it must be able to write the Go caches'
    )
  })

  it('follows the USER of the stage a Go stage starts from', () => {
    const text = [
      'FROM golang:1.22 AS base',
      'USER 1000:1000',
      'FROM base AS build',
      'ARG GOMODCACHE',
      'ARG GOCACHE',
      'ARG GOPROXY',
      'RUN go build ./...'
    ].join('\n')
    expect(check(text).map((f) => [f.kind, f.line])).toEqual([
      ['go-stage-user', 2]
    ])
  })

  it.each([
    ['root', ['USER root', 'RUN go build ./...']],
    ['uid 0 with a group', ['USER 0:0', 'RUN go build ./...']],
    ['a USER set back to root', ['USER 65532', 'USER root', 'RUN go build .']],
    ['a USER after the Go command', ['RUN go build .', 'USER 65532']]
  ])('says nothing for %s, or for a USER in a stage without Go', (_, lines) => {
    expect(check(go(lines))).toEqual([])
  })
})

describe('checkKanikoFlags', () => {
  const base = { file: 'skaffold.yaml', line: 7, image: 'app' }
  it('flags kaniko v1.7.0 with whitelistVarRun', () => {
    const findings = checkKanikoFlags({
      ...base,
      kanikoImage: 'gcr.io/kaniko-project/executor:v1.7.0',
      whitelistVarRun: true
    })
    expect(findings).toHaveLength(1)
    expect(findings[0].message).toMatch(/unknown flag: --whitelist-var-run/)
    expect(findings[0].line).toBe(7)
  })
  it.each([
    ['gcr.io/kaniko-project/executor:v1.7.0', false],
    ['gcr.io/kaniko-project/executor:v1.8.0', true],
    ['gcr.io/kaniko-project/executor:v1.7.01', true]
  ])('accepts %s with whitelistVarRun %s', (kanikoImage, whitelistVarRun) => {
    expect(checkKanikoFlags({ ...base, kanikoImage, whitelistVarRun })).toEqual(
      []
    )
  })
})

describe('RUN and ARG forms', () => {
  it.each([
    ['exec form', 'RUN ["go", "build", "./..."]'],
    ['heredoc', 'RUN <<EOF\ngo mod download\nEOF'],
    ['after another command', 'RUN apk add git && go install ./cmd/x']
  ])('finds Go in the %s', (_name, run) => {
    const findings = check(`FROM golang\n${run}\n`, '', ['GOCACHE'])
    expect(findings.map((f) => f.fix)).toEqual(['ARG GOCACHE'])
  })

  it('reads several names on one ARG line', () => {
    expect(
      check('FROM golang\nARG GOMODCACHE GOCACHE=/x\nRUN go build\n', '', [
        'GOMODCACHE',
        'GOCACHE'
      ])
    ).toEqual([])
  })

  it('does not take "gofmt" or "cargo build" for Go', () => {
    expect(
      check('FROM rust\nRUN cargo build && gofmt -l .\n', '', ['GOCACHE']).map(
        (f) => f.kind
      )
    ).toEqual(['no-go-stage'])
  })
})
