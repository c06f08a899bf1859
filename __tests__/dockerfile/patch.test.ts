/** The Dockerfile copy: ARG lines after each flagged Go stage's FROM, nothing else changed. */
import { describe, expect, it } from '@jest/globals'
import { checkDockerfile } from '../../src/dockerfile/check.js'
import {
  dockerfileCopyValue,
  patchDockerfile,
  planDockerfileCopies,
  type ArtifactDockerfile
} from '../../src/dockerfile/patch.js'

const ARGS = ['GOMODCACHE', 'GOCACHE', 'GOPROXY']

const patch = (text: string, target = '', buildArgs = ARGS) =>
  patchDockerfile({ file: 'Dockerfile', text, target, buildArgs })

/** An unedited Dockerfile with no ARG lines at all (the seed's starting point). */
const BASELINE = [
  'FROM golang:1.19 AS build',
  'WORKDIR /workspace',
  'COPY . .',
  'RUN go build -o /bin/app .',
  '',
  'FROM gcr.io/distroless/static',
  'COPY --from=build /bin/app /bin/app',
  'ENTRYPOINT ["/bin/app"]',
  ''
].join('\n')

describe('patchDockerfile', () => {
  const cases: {
    name: string
    text: string
    target?: string
    expected: string
    insertions: { fromLine: number; afterLine: number; lines: string[] }[]
  }[] = [
    {
      name: 'the baseline Dockerfile: the three ARGs after the Go stage FROM',
      text: BASELINE,
      expected: BASELINE.replace(
        'FROM golang:1.19 AS build\n',
        'FROM golang:1.19 AS build\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\n'
      ),
      insertions: [
        {
          fromLine: 1,
          afterLine: 1,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'only the missing ARG',
      text: 'FROM golang AS b\nARG GOPROXY\nARG GOMODCACHE=/go/pkg/mod\nRUN go build ./...\n',
      expected:
        'FROM golang AS b\nARG GOCACHE\nARG GOPROXY\nARG GOMODCACHE=/go/pkg/mod\nRUN go build ./...\n',
      insertions: [{ fromLine: 1, afterLine: 1, lines: ['ARG GOCACHE'] }]
    },
    {
      name: 'parser directives and # syntax stay first; comments untouched',
      text: '# syntax=docker/dockerfile:1\n# escape=\\\n\n# the builder\nFROM golang\n# build it\nRUN go build ./...\n',
      expected:
        '# syntax=docker/dockerfile:1\n# escape=\\\n\n# the builder\nFROM golang\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\n# build it\nRUN go build ./...\n',
      insertions: [
        {
          fromLine: 5,
          afterLine: 5,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'a FROM with continuation lines: after its last line',
      text: 'FROM --platform=$BUILDPLATFORM \\\n    golang:1.22 \\\n    AS build\nRUN go build ./...\n',
      expected:
        'FROM --platform=$BUILDPLATFORM \\\n    golang:1.22 \\\n    AS build\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go build ./...\n',
      insertions: [
        {
          fromLine: 1,
          afterLine: 3,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'a heredoc RUN keeps its bytes',
      text: 'FROM golang\nRUN <<EOF\nset -e\ngo build ./...\nEOF\n',
      expected:
        'FROM golang\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN <<EOF\nset -e\ngo build ./...\nEOF\n',
      insertions: [
        {
          fromLine: 1,
          afterLine: 1,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'two Go stages, one complete: only the other one',
      text: 'FROM golang AS a\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go mod download\nFROM golang AS b\nRUN go build ./...\n',
      expected:
        'FROM golang AS a\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go mod download\nFROM golang AS b\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go build ./...\n',
      insertions: [
        {
          fromLine: 6,
          afterLine: 6,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'a stage after the target is left alone',
      text: 'FROM golang AS a\nRUN go build ./...\nFROM golang AS b\nRUN go test ./...\n',
      target: 'a',
      expected:
        'FROM golang AS a\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go build ./...\nFROM golang AS b\nRUN go test ./...\n',
      insertions: [
        {
          fromLine: 1,
          afterLine: 1,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'CRLF line endings and no final newline',
      text: 'FROM golang\r\nRUN go build ./...',
      expected:
        'FROM golang\r\nARG GOMODCACHE\r\nARG GOCACHE\r\nARG GOPROXY\r\nRUN go build ./...',
      insertions: [
        {
          fromLine: 1,
          afterLine: 1,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'a FROM as the last line without a newline',
      text: 'FROM golang\nRUN go build ./...\nFROM golang',
      expected:
        'FROM golang\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go build ./...\nFROM golang',
      insertions: [
        {
          fromLine: 1,
          afterLine: 1,
          lines: ['ARG GOMODCACHE', 'ARG GOCACHE', 'ARG GOPROXY']
        }
      ]
    },
    {
      name: 'nothing missing: the text is returned as is',
      text: 'FROM golang\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go build ./...\n',
      expected:
        'FROM golang\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\nRUN go build ./...\n',
      insertions: []
    },
    {
      name: 'no Go stage: nothing to insert',
      text: 'FROM alpine\nRUN echo hi\n',
      expected: 'FROM alpine\nRUN echo hi\n',
      insertions: []
    },
    {
      name: 'an unknown target: nothing to insert',
      text: 'FROM golang AS a\nRUN go build ./...\n',
      target: 'nope',
      expected: 'FROM golang AS a\nRUN go build ./...\n',
      insertions: []
    }
  ]
  it.each(cases)('$name', ({ text, target, expected, insertions }) => {
    const result = patch(text, target)
    expect(result.text).toBe(expected)
    expect(result.insertions).toEqual(insertions)
  })

  it('leaves no missing-arg finding in the copy', () => {
    const result = patch(BASELINE)
    const findings = checkDockerfile({
      file: 'copy',
      text: result.text,
      target: '',
      buildArgs: ARGS
    })
    expect(findings.filter((f) => f.kind === 'missing-arg')).toEqual([])
  })

  it('does not fix what the build args cannot: ENV GOCACHE stays reported', () => {
    const text =
      'FROM golang\nENV GOCACHE=/tmp/c\nRUN --mount=type=cache,target=/root/.cache go build ./...\n'
    const result = patch(text)
    expect(result.insertions.map((i) => i.afterLine)).toEqual([1])
    const kinds = checkDockerfile({
      file: 'copy',
      text: result.text,
      target: '',
      buildArgs: ARGS
    }).map((f) => f.kind)
    expect(kinds).toEqual(['env-overrides-arg', 'cache-mount-ignored'])
  })
})

describe('dockerfileCopyValue', () => {
  it.each([
    ['Dockerfile', '.skaffold-kaniko-cache.Dockerfile'],
    ['docker/Dockerfile.prod', 'docker/.skaffold-kaniko-cache.Dockerfile.prod'],
    ['../Dockerfile', '../.skaffold-kaniko-cache.Dockerfile'],
    ['/abs/Dockerfile', '/abs/.skaffold-kaniko-cache.Dockerfile']
  ])('%s -> %s', (value, copy) => {
    expect(dockerfileCopyValue(value)).toBe(copy)
  })
})

describe('planDockerfileCopies', () => {
  const artifact = (over: Partial<ArtifactDockerfile> = {}) => ({
    key: 'skaffold.yaml#0#base#0',
    image: 'app',
    path: '/w/app/Dockerfile',
    dockerfile: 'Dockerfile',
    target: '',
    buildArgs: ARGS,
    text: BASELINE,
    ...over
  })

  it('one copy beside the original, the override relative to the context', () => {
    const plan = planDockerfileCopies([
      artifact({ dockerfile: 'app/Dockerfile' })
    ])
    expect(plan.copies.map((c) => [c.original, c.copyPath, c.images])).toEqual([
      ['/w/app/Dockerfile', '/w/app/.skaffold-kaniko-cache.Dockerfile', ['app']]
    ])
    expect(plan.overrides).toEqual({
      'skaffold.yaml#0#base#0': 'app/.skaffold-kaniko-cache.Dockerfile'
    })
    expect(plan.copies[0].text).toContain('AS build\nARG GOMODCACHE\n')
  })

  it('no copy for a complete Dockerfile', () => {
    const complete = BASELINE.replace(
      'AS build\n',
      'AS build\nARG GOMODCACHE\nARG GOCACHE\nARG GOPROXY\n'
    )
    expect(planDockerfileCopies([artifact({ text: complete })])).toEqual({
      copies: [],
      overrides: {},
      skipped: []
    })
  })

  it('two artifacts, same Dockerfile and same copy: one copy for both', () => {
    const plan = planDockerfileCopies([
      artifact(),
      artifact({ key: 'k2', image: 'app2' })
    ])
    expect(plan.copies).toHaveLength(1)
    expect(plan.copies[0].images).toEqual(['app', 'app2'])
    expect(Object.keys(plan.overrides)).toEqual([
      'skaffold.yaml#0#base#0',
      'k2'
    ])
  })

  it('two artifacts needing different copies of one Dockerfile: the second keeps the original', () => {
    const text =
      'FROM golang AS a\nRUN go build ./...\nFROM golang AS b\nRUN go test ./...\n'
    const plan = planDockerfileCopies([
      artifact({ text, target: 'a' }),
      artifact({ key: 'k2', image: 'app2', text, target: 'b' })
    ])
    expect(plan.copies).toHaveLength(1)
    expect(Object.keys(plan.overrides)).toEqual(['skaffold.yaml#0#base#0'])
    expect(plan.skipped[0].image).toBe('app2')
  })
})
