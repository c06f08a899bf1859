/** The ignore files that keep the action's copies out of the build context. */
import { describe, expect, it } from '@jest/globals'
import {
  IGNORE_MARKER,
  ignorePattern,
  planContextIgnores,
  type ArtifactContext
} from '../../src/dockerfile/ignore.js'

const CTX = '/ws/svc'
const CONFIG_COPY = `${CTX}/.skaffold-kaniko-cache.skaffold.yaml`
const DOCKERFILE_COPY = `${CTX}/.skaffold-kaniko-cache.Dockerfile`

function artifact(over: Partial<ArtifactContext> = {}): ArtifactContext {
  return {
    image: 'app',
    context: CTX,
    dockerfile: `${CTX}/Dockerfile`,
    used: `${CTX}/Dockerfile`,
    ...over
  }
}

describe('planContextIgnores', () => {
  it('writes <Dockerfile>.dockerignore beside an original that has none, with the context rules first', () => {
    const plan = planContextIgnores(
      [artifact({ contextIgnore: 'vendor\n*.md' })],
      [CONFIG_COPY]
    )
    expect(plan.left).toEqual([])
    expect(plan.files).toEqual([
      {
        path: `${CTX}/Dockerfile.dockerignore`,
        images: ['app'],
        text: `vendor\n*.md\n${IGNORE_MARKER}\n.skaffold-kaniko-cache.skaffold.yaml\nDockerfile.dockerignore\n`
      }
    ])
  })

  it("never writes over the user's own <Dockerfile>.dockerignore: the artifact is left, with the files named", () => {
    const plan = planContextIgnores(
      [artifact({ ownIgnore: '.git\n' })],
      [CONFIG_COPY]
    )
    expect(plan.files).toEqual([])
    expect(plan.left).toHaveLength(1)
    expect(plan.left[0]).toMatchObject({
      image: 'app',
      files: ['.skaffold-kaniko-cache.skaffold.yaml']
    })
    expect(plan.left[0].reason).toContain('is yours')
  })

  it("beside a Dockerfile copy, carries the original's own rules and hides every copy but the Dockerfile in use", () => {
    const plan = planContextIgnores(
      [
        artifact({
          used: DOCKERFILE_COPY,
          ownIgnore: '.git',
          contextIgnore: 'x'
        })
      ],
      [CONFIG_COPY, DOCKERFILE_COPY]
    )
    expect(plan.files).toEqual([
      {
        path: `${DOCKERFILE_COPY}.dockerignore`,
        images: ['app'],
        text: `.git\n${IGNORE_MARKER}\n.skaffold-kaniko-cache.Dockerfile.dockerignore\n.skaffold-kaniko-cache.skaffold.yaml\n`
      }
    ])
  })

  it('writes nothing when no copy lies in the context', () => {
    expect(
      planContextIgnores(
        [artifact()],
        ['/ws/other/.skaffold-kaniko-cache.skaffold.yaml']
      )
    ).toEqual({ files: [], left: [] })
  })

  it('one file serves two artifacts of the same Dockerfile and rules', () => {
    const plan = planContextIgnores(
      [artifact(), artifact({ image: 'other' })],
      [CONFIG_COPY]
    )
    expect(plan.files).toHaveLength(1)
    expect(plan.files[0].images).toEqual(['app', 'other'])
  })

  it.each([
    ['the artifact with rules first', false],
    ['the artifact without rules first', true]
  ])(
    "writes no shared file when another context's rules differ (%s)",
    (_order, reversed) => {
      // One Dockerfile, built from /r (whose .dockerignore hides secret.txt)
      // and from /r/sub (no ignore file): a file written for either would
      // change the other's context.
      const withRules = artifact({
        image: 'outer',
        context: '/r',
        dockerfile: '/r/sub/Dockerfile',
        used: '/r/sub/Dockerfile',
        contextIgnore: 'secret.txt'
      })
      const withoutRules = artifact({
        image: 'inner',
        context: '/r/sub',
        dockerfile: '/r/sub/Dockerfile',
        used: '/r/sub/Dockerfile'
      })
      const artifacts = reversed
        ? [withoutRules, withRules]
        : [withRules, withoutRules]
      const plan = planContextIgnores(artifacts, [
        '/r/sub/.skaffold-kaniko-cache.skaffold.yaml'
      ])
      expect(plan.files).toEqual([])
      expect(plan.left.map((l) => l.image).sort()).toEqual(['inner', 'outer'])
      for (const left of plan.left) {
        expect(left.reason).toContain('with a different .dockerignore')
      }
    }
  )
})

describe('ignorePattern', () => {
  it.each([
    ['a/b.yaml', 'a/b.yaml'],
    ['a*b?[c]\\', 'a\\*b\\?\\[c\\]\\\\'],
    ['!x', '\\!x'],
    ['#x', '\\#x']
  ])('%s → %s', (path, pattern) => {
    expect(ignorePattern(path)).toBe(pattern)
  })

  it('refuses a name the ignore file cannot hold', () => {
    expect(ignorePattern(' x')).toBeUndefined()
  })
})
