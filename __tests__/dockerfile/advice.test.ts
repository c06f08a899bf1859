/** Advice about kaniko's own cost: the Go build stage's base image, a large final base under reproducible. */
import { describe, expect, it } from '@jest/globals'
import {
  adviseArtifactDockerfiles,
  adviseDockerfile,
  golangVariant,
  kanikoCostAdvice
} from '../../src/dockerfile/advice.js'
import {
  artifactKey,
  DEFAULT_PATCH_OPTIONS
} from '../../src/skaffold/options.js'
import { patchSkaffoldConfigs } from '../../src/skaffold/patch.js'

const advise = (text: string, target = '', reproducible?: boolean) =>
  adviseDockerfile({ file: 'Dockerfile', text, target, reproducible })

const TWO_STAGES = [
  'FROM golang:1.22 AS build', //      1
  'ARG GOCACHE', //                     2
  'RUN go build -o /app .', //          3
  'FROM gcr.io/distroless/static', //   4
  'COPY --from=build /app /app', //     5
  ''
].join('\n')

describe('golangVariant', () => {
  it.each([
    ['golang', 'debian', 'golang:alpine'],
    ['golang:latest', 'debian', 'golang:alpine'],
    ['golang:1.22', 'debian', 'golang:1.22-alpine'],
    ['golang:1.22.3-bookworm', 'debian', 'golang:1.22.3-alpine'],
    ['golang:bullseye', 'debian', 'golang:alpine'],
    [
      'docker.io/library/golang:1.19@sha256:' + 'a'.repeat(64),
      'debian',
      'docker.io/library/golang:1.19-alpine'
    ],
    ['golang:1.19-alpine', 'alpine', ''],
    ['golang:1.22-alpine3.20', 'alpine', ''],
    ['golang:alpine', 'alpine', ''],
    ['golang:1.22-windowsservercore-ltsc2022', 'other', ''],
    ['golang:1.22-nanoserver', 'other', ''],
    ['example.com/golang:1.22', 'other', ''],
    ['debian:bookworm', 'other', '']
  ])('%s is %s', (image, variant, alpine) => {
    expect(golangVariant(image)).toEqual({ variant, alpine })
  })
})

describe('adviseDockerfile', () => {
  it('names the build stage base and what an -alpine build stage saves', () => {
    const advice = advise(TWO_STAGES)
    expect(
      advice.map((a) => [a.kind, a.line, a.image, a.variant, a.alpine])
    ).toEqual([
      ['build-stage-base', 1, 'golang:1.22', 'debian', 'golang:1.22-alpine']
    ])
    expect(advice[0].message).toMatch(
      /^stage "build" builds Go on golang:1.22, a Debian-based Go image: kaniko unpacks it on every build, warm or cold, at ≈1.8 s per 100 MB unpacked .*FROM golang:1.22-alpine would save about 12 s per warm build \(golang:1.19-bullseye is 993 MB unpacked, golang:1.19-alpine 354 MB\)/
    )
  })

  it('names an alpine base without a saving', () => {
    const advice = advise(
      TWO_STAGES.replace('golang:1.22', 'golang:1.22-alpine')
    )
    expect(advice.map((a) => [a.variant, a.alpine])).toEqual([['alpine', '']])
    expect(advice[0].message).not.toMatch(/would save/)
  })

  it('follows FROM <stage> to the image and reports each base once', () => {
    const text = [
      'ARG GO_VERSION=1.21',
      'FROM golang:${GO_VERSION} AS base', //  2
      'RUN go mod download', //                3
      'FROM base AS build', //                 4
      'RUN go build -o /a ./a', //             5
      'FROM base AS tool', //                  6
      'RUN go install ./cmd/tool', //          7
      'FROM scratch',
      'COPY --from=build /a /a',
      ''
    ].join('\n')
    const advice = advise(text)
    expect(advice.map((a) => [a.line, a.image, a.alpine])).toEqual([
      [2, 'golang:1.21', 'golang:1.21-alpine']
    ])
    expect(advice[0].message).toMatch(/^stage "build" builds Go on/)
  })

  it.each(['"1.21"', "'1.21'"])(
    'resolves a quoted ARG default (%s) in FROM',
    (quoted) => {
      const advice = advise(
        `ARG GO_VERSION=${quoted}\nFROM golang:\${GO_VERSION} AS build\nRUN go build ./...\n`
      )
      expect(advice.map((a) => [a.image, a.alpine])).toEqual([
        ['golang:1.21', 'golang:1.21-alpine']
      ])
    }
  )

  it('advises only the stages up to the target, and nothing for an unknown target', () => {
    const text = TWO_STAGES.replace(
      'FROM gcr.io',
      'FROM golang:1.22-alpine AS other\nRUN go build ./...\nFROM gcr.io'
    )
    expect(advise(text, 'build').map((a) => a.image)).toEqual(['golang:1.22'])
    expect(advise(text).map((a) => a.image)).toEqual([
      'golang:1.22',
      'golang:1.22-alpine'
    ])
    expect(advise(text, 'nope')).toEqual([])
  })

  it('says nothing for a stage that only downloads modules or a Dockerfile without Go', () => {
    expect(advise('FROM golang:1.22\nRUN go mod download\n')).toEqual([])
    expect(advise('FROM alpine\nRUN echo hi\n')).toEqual([])
    expect(advise('')).toEqual([])
  })

  it('flags a golang final base only when reproducible is on', () => {
    const single = 'FROM golang:1.22-alpine\nRUN go build -o /app .\n'
    expect(advise(single, '', true).map((a) => [a.kind, a.line])).toEqual([
      ['build-stage-base', 1],
      ['final-stage-base', 1]
    ])
    expect(advise(single, '', true)[1].message).toMatch(
      /kaniko.reproducible is on: kaniko re-tars every final-image layer, the base's included \(≈5 s per 100 MB/
    )
    expect(advise(single, '', false).map((a) => a.kind)).toEqual([
      'build-stage-base'
    ])
    expect(advise(single).map((a) => a.kind)).toEqual(['build-stage-base'])
    // A distroless final stage is small: no hint.
    expect(advise(TWO_STAGES, '', true).map((a) => a.kind)).toEqual([
      'build-stage-base'
    ])
  })
})

describe('adviseArtifactDockerfiles', () => {
  it('prints file:line: message once per Dockerfile and target', () => {
    const dockerfile = {
      key: 'a',
      path: '/w/svc/Dockerfile',
      target: '',
      text: TWO_STAGES
    }
    const lines = adviseArtifactDockerfiles(
      [dockerfile, { ...dockerfile, key: 'b' }],
      (p) => p.replace('/w/', '')
    )
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^svc\/Dockerfile:1: stage "build" builds Go on golang:1.22,/
    )
  })

  it('passes each artifact its reproducible setting', () => {
    const text = 'FROM golang:1.22\nRUN go build -o /app .\n'
    const lines = adviseArtifactDockerfiles(
      [
        { key: 'on', path: 'A', target: '', text },
        { key: 'off', path: 'B', target: '', text }
      ],
      (p) => p,
      (key) => key === 'on'
    )
    expect(lines.map((l) => l.split(':')[0])).toEqual(['A', 'A', 'B'])
    expect(lines[1]).toMatch(/^A:1: the final image is built on golang:1.22/)
  })
})

describe('kanikoCostAdvice', () => {
  const config = (kaniko: string) =>
    patchSkaffoldConfigs(
      [
        {
          path: '/w/skaffold.yaml',
          text: `apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n    - image: app\n      kaniko: {${kaniko}}\n  cluster: {}\n`
        }
      ],
      DEFAULT_PATCH_OPTIONS
    ).report
  const show = (p: string) => p.replace('/w/', '')
  const dockerfile = (report: ReturnType<typeof config>, text: string) => [
    {
      key: artifactKey(report.artifacts[0]),
      path: '/w/Dockerfile',
      target: '',
      text
    }
  ]

  it('hints at useNewRun with singleSnapshot, and at reproducible only with a Go toolchain final base', () => {
    const report = config(
      'useNewRun: true, singleSnapshot: true, reproducible: true'
    )
    const small = kanikoCostAdvice(report, dockerfile(report, TWO_STAGES), show)
    expect(small).toHaveLength(2)
    expect(small[0]).toMatch(
      /^skaffold.yaml:\d+: artifact "app": useNewRun does nothing useful with singleSnapshot/
    )
    expect(small[1]).toMatch(
      /^Dockerfile:1: stage "build" builds Go on golang:1.22,/
    )
    expect(small.join('\n')).not.toMatch(/reproducible/)

    const large = kanikoCostAdvice(
      report,
      dockerfile(report, 'FROM golang:1.22\nRUN go build -o /app .\n'),
      show
    )
    expect(large[2]).toMatch(
      /^Dockerfile:1: the final image is built on golang:1.22, .*kaniko.reproducible is on/
    )
  })

  it('says nothing of reproducible when the user did not set it', () => {
    const report = config('singleSnapshot: true')
    const lines = kanikoCostAdvice(
      report,
      dockerfile(report, 'FROM golang:1.22-alpine\nRUN go build -o /app .\n'),
      show
    )
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/builds Go on golang:1.22-alpine: /)
  })
})
