/** Configs too old for kaniko.ignorePaths with a multi-stage Dockerfile: warned before the build. */
import { describe, expect, it } from '@jest/globals'
import {
  checkProductFiles,
  countStages
} from '../../src/skaffold/product-files.js'

const MULTI = `FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static
COPY --from=build /app /app
`

const input = (apiVersion: string, text = MULTI, target = '') => ({
  file: '/w/skaffold.yaml',
  line: 5,
  image: 'app',
  apiVersion,
  dockerfile: '/w/Dockerfile',
  text,
  target
})

describe('checkProductFiles', () => {
  it('warns for a multi-stage Dockerfile under an apiVersion before v4beta2, with the remedy', () => {
    const findings = checkProductFiles(input('skaffold/v2beta16'))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toEqual(
      expect.objectContaining({
        file: '/w/skaffold.yaml',
        line: 5,
        kind: 'product-files-not-ignored'
      })
    )
    expect(findings[0].message).toContain('unlinkat //product_uuid')
    expect(findings[0].message).toContain(
      'skaffold fix --overwrite -f /w/skaffold.yaml'
    )
    expect(checkProductFiles(input('skaffold/v4beta1'))).toHaveLength(1)
  })

  it('says nothing from v4beta2 on, for one stage, or for a first-stage target', () => {
    expect(checkProductFiles(input('skaffold/v4beta2'))).toEqual([])
    expect(checkProductFiles(input('skaffold/v4beta14'))).toEqual([])
    expect(
      checkProductFiles(
        input('skaffold/v2beta16', 'FROM golang\nRUN go build\n')
      )
    ).toEqual([])
    expect(
      checkProductFiles(input('skaffold/v2beta16', MULTI, 'build'))
    ).toEqual([])
  })

  it('counts the stages kaniko builds: all up to the target, at least its dependencies', () => {
    const text = `FROM alpine AS tools
FROM --platform=linux/amd64 golang AS build
FROM build AS test
FROM scratch
COPY --from=build /a /a
`
    expect(countStages(text, '')).toEqual({ upToTarget: 4, needed: 2 })
    expect(countStages(text, 'test')).toEqual({ upToTarget: 3, needed: 2 })
    expect(countStages(text, 'TOOLS')).toEqual({ upToTarget: 1, needed: 1 })
    expect(countStages(text, 'nope')).toEqual({ upToTarget: 0, needed: 0 })
  })
})
