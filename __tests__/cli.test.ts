/** The CLI preview: patch and check, exit codes, one-line errors, help. */
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from '@jest/globals'
import {
  CORPUS,
  type TestData,
  describeWithData
} from '../test-support/test-data/index.js'
import { CLI_OPTION_NAMES, runCli } from '../src/cli.js'
import { DEFAULT_PATCH_OPTIONS } from '../src/skaffold/options.js'
import { NODE_PATHS } from '../src/cache/paths.js'
import { INPUT_DEFAULTS } from '../src/inputs.js'
import { patchSkaffoldText } from '../src/skaffold/patch.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/** The suites below name files of the curated corpus; they skip without it. */
const CURATED: TestData = {
  ...CORPUS,
  what: 'the curated skaffold corpus these tests name',
  present: existsSync(
    join(CORPUS.path, 'skaffold-examples-kaniko-v4beta14.yaml')
  )
}
const tmp = mkdtempSync(join(tmpdir(), 'skc-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function run(args: string[], cwd = ROOT) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd
  })
  return { code, stdout, stderr }
}

const corpus = (name: string) => join(CORPUS.path, name)

describeWithData([CURATED], 'cli patch', () => {
  it('prints the patched YAML on stdout and the report on stderr', async () => {
    const file = corpus('skaffold-examples-kaniko-v4beta14.yaml')
    const { code, stdout, stderr } = await run([
      'patch',
      '--go-proxy',
      'http://athens',
      file
    ])
    expect(code).toBe(0)
    const expected = patchSkaffoldText(
      { path: file, text: readFileSync(file, 'utf8') },
      { ...DEFAULT_PATCH_OPTIONS, goProxy: 'http://athens' }
    ).text
    expect(stdout).toBe(expected)
    expect(stdout).toContain('GOPROXY: http://athens')
    expect(stderr).toMatch(/document 0 \(skaffold\/v4beta14\): patched/)
    expect(stderr).toMatch(
      /artifact skaffold-example \[build, line \d+\]: patched: added buildArgs.GOMODCACHE/
    )
  })

  it('maps every patch option to the output', async () => {
    const file = corpus('skaffold-kaniko-target-v4beta14.yaml')
    const { code, stdout } = await run([
      'patch',
      '--mod-cache-path',
      '/var/run/m',
      '--build-cache-path',
      '/var/run/b',
      '--mod-volume-name',
      'mvol',
      '--build-volume-name',
      'bvol',
      '--mod-node-path',
      '/n/m',
      '--build-node-path',
      '/n/b',
      '--hostpath-type',
      '',
      '--go-private',
      'github.com/corp',
      '--go-flags=-mod=mod',
      '--build-arg',
      'A=1=2',
      '--build-arg',
      'B=',
      '--registry-mirror',
      'mirror.gcr.io',
      '--kaniko-image',
      'gcr.io/kaniko-project/executor:v1.23.2',
      '--whitelist-var-run',
      '--insecure-registry',
      'kind-registry:5000',
      '--no-ignore-paths',
      file
    ])
    expect(code).toBe(0)
    for (const s of [
      'GOMODCACHE: /var/run/m',
      'GOCACHE: /var/run/b',
      'name: mvol',
      'name: bvol',
      'path: /n/m',
      'GOPRIVATE: github.com/corp',
      'GONOSUMDB: github.com/corp',
      'GOFLAGS: -mod=mod',
      'A: 1=2',
      'registryMirror: mirror.gcr.io',
      'executor:v1.23.2',
      'whitelistVarRun: true',
      '- kind-registry:5000'
    ])
      expect(stdout).toContain(s)
    expect(stdout).not.toContain('DirectoryOrCreate')
    expect(stdout).not.toContain('ignorePaths')
  })

  it('adds --namespace to a cluster block that names none and reports each block namespace', async () => {
    const file = corpus('skaffold-examples-kaniko-v4beta14.yaml')
    const text = readFileSync(file, 'utf8')
    const withNs = await run(['patch', '--namespace', 'builds', file])
    expect(withNs.code).toBe(0)
    expect(withNs.stdout).toBe(
      patchSkaffoldText(
        { path: file, text },
        { ...DEFAULT_PATCH_OPTIONS, defaultNamespace: 'builds' }
      ).text
    )
    expect(withNs.stdout).toMatch(/^ {4}namespace: builds$/m)
    expect(withNs.stderr).toMatch(
      /cluster \[build, line \d+\] \(kaniko pods in builds\): added namespace, volumes\[gomodcache\]/
    )
    const without = await run(['patch', file])
    expect(without.stdout).not.toContain('namespace:')
    expect(without.stderr).toMatch(
      /cluster \[build, line \d+\] \(kaniko pods in the kube context's namespace\)/
    )
  })

  it('keeps a cluster block namespace over --namespace and says so', async () => {
    const file = corpus('skaffold-kaniko-target-v4beta14.yaml')
    const { code, stdout, stderr } = await run([
      'patch',
      '--namespace',
      'builds',
      file
    ])
    expect(code).toBe(0)
    expect(stdout).toContain('namespace: default')
    expect(stdout).not.toContain('namespace: builds')
    expect(stderr).toMatch(/\(kaniko pods in default\)/)
    expect(stderr).toContain(
      `kept the config's namespace="default" (the action's value: "builds")`
    )
  })

  it('uses one claim with subPaths for --pvc, and checks --profile', async () => {
    const file = corpus(
      'skaffold-kaniko-insecure-registry-profiles-v4beta14.yaml'
    )
    const { code, stdout } = await run([
      'patch',
      '--pvc',
      'go-rwx',
      '--profile',
      'build-artifact',
      file
    ])
    expect(code).toBe(0)
    expect(stdout).toContain('claimName: go-rwx')
    expect(stdout).toContain('subPath: gomodcache')
    const bad = await run(['patch', '--profile', 'nope', file])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/profile "nope" is not defined/)
  })

  it('prints the input unchanged and says why when there is nothing to patch', async () => {
    const file = corpus('skaffold-gcb-kaniko-v4beta14.yaml')
    const { code, stdout, stderr } = await run(['patch', file])
    expect(code).toBe(0)
    expect(stdout).toBe(readFileSync(file, 'utf8'))
    expect(stderr).toMatch(/nothing-to-patch: .*googleCloudBuild/)
    expect(stderr).toMatch(/^nothing to patch/m)
  })

  it('prints the report as JSON with --json', async () => {
    const { code, stderr } = await run([
      'patch',
      '--json',
      corpus('skaffold-kaniko-microservices-v4beta14.yaml')
    ])
    expect(code).toBe(0)
    const report = JSON.parse(stderr) as { artifacts: { status: string }[] }
    expect(report.artifacts.map((a) => a.status)).toEqual([
      'patched',
      'patched',
      'patched'
    ])
  })

  it('prints every patched file of a requires tree after a # file: line', async () => {
    const dir = join(tmp, 'multi')
    mkdirSync(join(dir, 'app'), { recursive: true })
    writeFileSync(
      join(dir, 'skaffold.yaml'),
      'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./app\n'
    )
    writeFileSync(
      join(dir, 'app', 'skaffold.yaml'),
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: app\n    kaniko: {}\n  cluster: {}\n'
    )
    const { code, stdout } = await run(['patch', 'multi/skaffold.yaml'], tmp)
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^# file: multi\/skaffold.yaml -> multi\/.skaffold-kaniko-cache.skaffold.yaml\n/
    )
    expect(stdout).toContain(
      '# file: multi/app/skaffold.yaml -> multi/app/.skaffold-kaniko-cache.skaffold.yaml\n'
    )
    expect(stdout).toContain('path: ./app/.skaffold-kaniko-cache.skaffold.yaml')
  })
})

describeWithData(
  [CURATED],
  'cli errors: exit 2 with one line, no stack',
  () => {
    const cases: [string, string[], RegExp][] = [
      [
        'too old',
        ['patch', corpus('skaffold-kaniko-local-buildcontext-v1beta11.yaml')],
        /^\S*\/skaffold-kaniko-local-buildcontext-v1beta11.yaml:1: apiVersion skaffold\/v1beta11 is too old .*skaffold fix/
      ],
      [
        'missing requires',
        ['patch', corpus('skaffold-multi-config-root-requires-v4beta14.yaml')],
        /skaffold-multi-config-root-requires-v4beta14.yaml:4: requires\[0\]\.path "\.\/leeroy-app"/
      ],
      [
        'collision',
        ['patch', corpus('blog-feed-agg-v2beta16.yaml')],
        /blog-feed-agg-v2beta16.yaml:21: .*already mounts volume "modcache"/
      ],
      [
        'missing file',
        ['patch', 'no/such/skaffold.yaml'],
        /^no\/such\/skaffold.yaml: cannot read the skaffold config: ENOENT/
      ],
      ['unknown option', ['patch', '--bogus', 'x'], /Unknown option '--bogus'/],
      [
        'option without its value',
        ['patch', '--go-flags', '-x', 'f'],
        /ambiguous/
      ],
      ['unknown command', ['frobnicate', 'x'], /unknown command "frobnicate"/],
      [
        'bad build arg',
        ['patch', '--build-arg', 'NOEQ', 'x'],
        /--build-arg "NOEQ": expected KEY=VALUE/
      ],
      [
        'reserved path',
        [
          'patch',
          '--mod-cache-path',
          '/cache',
          corpus('skaffold-kaniko-target-v4beta14.yaml')
        ],
        /^--mod-cache-path: "\/cache" is used by skaffold or kaniko/
      ],
      [
        'bad namespace',
        [
          'patch',
          '--namespace',
          'Builds',
          corpus('skaffold-kaniko-target-v4beta14.yaml')
        ],
        /^--namespace: "Builds" is not a valid Kubernetes namespace name/
      ]
    ]
    it.each(cases)('%s', async (_name, args, message) => {
      const { code, stdout, stderr } = await run(args)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(message)
      expect(stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(stderr).not.toMatch(/\n\s+at /)
    })

    it('reports a YAML syntax error with its line', async () => {
      const file = join(tmp, 'broken.yaml')
      writeFileSync(
        file,
        'apiVersion: skaffold/v4beta14\nbuild:\n  artifacts: [\n'
      )
      const { code, stderr } = await run(['patch', file], tmp)
      expect(code).toBe(2)
      expect(stderr).toMatch(/^broken.yaml:\d+: YAML syntax error/)
    })
  }
)

describe('cli help', () => {
  it('documents every option', async () => {
    const { code, stdout } = await run(['--help'])
    expect(code).toBe(0)
    for (const name of CLI_OPTION_NAMES) expect(stdout).toContain(`--${name}`)
  })

  it('states the defaults the action and the patcher use', async () => {
    const { stdout } = await run(['--help'])
    // The namespace input is empty by default (src/inputs/names.ts INPUT_DEFAULTS).
    expect(INPUT_DEFAULTS.namespace).toBe('')
    expect(stdout).not.toMatch(/defaults to "default"/)
    expect(stdout).toContain("The action's input is empty by default")
    expect(stdout).toContain(`(default ${NODE_PATHS.mod})`)
    expect(stdout).toContain(`(default ${NODE_PATHS.build})`)
    expect(stdout).toContain(
      `--patch-dockerfile MODE   patch: ${INPUT_DEFAULTS['patch-dockerfile']} (default)`
    )
  })
})

describe('cli check', () => {
  it('checks the Dockerfiles of a skaffold config', async () => {
    const dir = join(tmp, 'check')
    mkdirSync(join(dir, 'svc'), { recursive: true })
    writeFileSync(
      join(dir, 'skaffold.yaml'),
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: svc\n    context: svc\n    kaniko: {}\n  cluster: {}\n'
    )
    writeFileSync(
      join(dir, 'svc', 'Dockerfile'),
      'FROM golang AS build\nARG GOMODCACHE\nRUN go build ./...\n'
    )
    const { code, stdout, stderr } = await run(
      ['check', 'check/skaffold.yaml'],
      tmp
    )
    expect(code).toBe(0)
    const [finding, fix, note, end] = stdout.split('\n')
    expect([finding, fix, end]).toEqual([
      'check/svc/Dockerfile:1: stage "build" runs Go at line 3 but does not declare ARG GOCACHE after its FROM; kaniko passes the build arg only to stages that declare it. Add "ARG GOCACHE" after line 1',
      '  add: ARG GOCACHE',
      ''
    ])
    // The base image kaniko unpacks on every build is a note, not a finding.
    expect(note).toMatch(
      /^note: check\/svc\/Dockerfile:1: stage "build" builds Go on golang, a Debian-based Go image: .*FROM golang:alpine would save about 12 s per warm build/
    )
    expect(stderr).toBe('1 finding(s)\n')
  })

  it('checks a Dockerfile with --target and the build args the options imply', async () => {
    const file = join(tmp, 'Dockerfile.multi')
    writeFileSync(
      file,
      'FROM golang AS build\nARG GOMODCACHE\nARG GOCACHE\nRUN go build\nFROM build AS test\nRUN go test ./...\n'
    )
    const ok = await run(['check', '--target', 'build', file], tmp)
    expect(ok.stdout).toMatch(
      /^note: Dockerfile.multi:1: stage "build" builds Go on golang, [^\n]*\n$/
    )
    expect(ok.stderr).toMatch(/no findings/)
    const proxy = await run(
      ['check', '--target', 'build', '--go-proxy', 'http://p', file],
      tmp
    )
    expect(proxy.stdout).toContain('add: ARG GOPROXY')
    const test = await run(['check', '--json', '--target', 'test', file], tmp)
    expect(
      (JSON.parse(test.stdout) as { fix: string }[]).map((f) => f.fix)
    ).toEqual(['ARG GOMODCACHE', 'ARG GOCACHE'])
    expect(test.stderr).toMatch(/^note: Dockerfile.multi:1: stage "build"/m)
  })

  it("notes the example's useNewRun with singleSnapshot and its -alpine build stage base", async () => {
    const { code, stdout } = await run(
      ['check', join(ROOT, 'examples', 'feed-agg', 'skaffold.yaml')],
      tmp
    )
    expect(code).toBe(0)
    const notes = stdout.split('\n').filter((l) => l.startsWith('note: '))
    expect(notes).toHaveLength(2)
    expect(notes[0]).toMatch(
      /skaffold.yaml:\d+: artifact "feed-agg": useNewRun does nothing useful with singleSnapshot/
    )
    expect(notes[1]).toMatch(
      /Dockerfile:\d+: stage "build" builds Go on golang:1.19-alpine: kaniko unpacks it/
    )
  })

  it('names the Go stage base of FROM golang:1.22 and what an -alpine build stage saves', async () => {
    const file = join(tmp, 'Dockerfile.debian')
    writeFileSync(
      file,
      'FROM golang:1.22 AS build\nARG GOMODCACHE\nARG GOCACHE\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n'
    )
    const { code, stdout, stderr } = await run(['check', file], tmp)
    expect(code).toBe(0)
    expect(stdout).toBe(
      'note: Dockerfile.debian:1: stage "build" builds Go on golang:1.22, a Debian-based Go image: kaniko unpacks it on every build, warm or cold, at ≈1.8 s per 100 MB unpacked (measured with kaniko v1.19.2). FROM golang:1.22-alpine would save about 12 s per warm build (golang:1.19-bullseye is 993 MB unpacked, golang:1.19-alpine 354 MB). Alpine has no gcc or git: build with CGO_ENABLED=0, and with -buildvcs=false if the context holds .git\n'
    )
    expect(stderr).toMatch(/no findings/)
    writeFileSync(
      file,
      'FROM golang:1.22-alpine AS build\nARG GOMODCACHE\nARG GOCACHE\nRUN go build -o /app .\n'
    )
    const alpine = await run(['check', file], tmp)
    expect(alpine.stdout).toMatch(
      /builds Go on golang:1.22-alpine: kaniko unpacks it/
    )
    expect(alpine.stdout).not.toMatch(/would save/)
  })
})

describeWithData([CURATED], 'cli as a process', () => {
  it('runs through the entry with tsx and exits 2 on bad input', () => {
    const entry = join(ROOT, 'src', 'entry', 'cli.ts')
    const ok = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        entry,
        'patch',
        corpus('skaffold-kaniko-sub-folder-v4beta14.yaml')
      ],
      { cwd: ROOT, encoding: 'utf8' }
    )
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain('mountPath: /var/run/gomodcache')
    const bad = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        entry,
        'patch',
        corpus('kubeflow-notebook-controller-v2alpha1.yaml')
      ],
      { cwd: ROOT, encoding: 'utf8' }
    )
    expect(bad.status).toBe(2)
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1)
  })
})

describe('cli: every user error kind exits 2 with file:line: reason', () => {
  const files: [string, string, string, RegExp][] = [
    [
      'not a mapping',
      'list.yaml',
      '- a\n- b\n',
      /^list.yaml:1: document 1 is not a mapping/
    ],
    [
      'missing apiVersion',
      'noapi.yaml',
      'kind: Config\nbuild: {}\n',
      /^noapi.yaml:1: document 1 has no apiVersion/
    ],
    [
      'unknown apiVersion',
      'unknown.yaml',
      'apiVersion: skaffold/v99\nkind: Config\n',
      /^unknown.yaml:1: unknown apiVersion "skaffold\/v99"/
    ],
    [
      'kaniko without cluster',
      'nocluster.yaml',
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: a\n    kaniko: {}\n',
      /^nocluster.yaml:5: artifact "a" uses kaniko but its build has no cluster builder/
    ],
    [
      'requires cycle',
      'cycle-a.yaml',
      'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./cycle-b.yaml\n',
      /^cycle-b.yaml:4: requires cycle/
    ],
    [
      'YAML syntax',
      'syntax.yaml',
      'apiVersion: skaffold/v4beta14\nkind: [Config\n',
      /^syntax.yaml:\d+: YAML syntax error/
    ]
  ]
  it.each(files)('%s', async (_name, file, text, message) => {
    const dir = join(tmp, 'errors')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'cycle-b.yaml'),
      'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./cycle-a.yaml\n'
    )
    writeFileSync(join(dir, file), text)
    const { code, stdout, stderr } = await run(['patch', file], dir)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
  })
})

describeWithData([CURATED], 'cli check with nothing to check', () => {
  it('says there is no kaniko artifact', async () => {
    const { code, stdout, stderr } = await run([
      'check',
      corpus('skaffold-gcb-kaniko-v4beta14.yaml')
    ])
    expect(code).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/no kaniko artifact on the cluster builder/)
  })
})

describe('cli patch: the Dockerfile copy preview', () => {
  const setup = () => {
    const dir = join(tmp, 'zero-edit')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'skaffold.yaml'),
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: app\n    kaniko: {}\n  cluster: {}\n'
    )
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM golang:1.22 AS build\nRUN go build -o /app .\n'
    )
    return dir
  }

  it('prints the patched config pointing at the copy, then the copy', async () => {
    setup()
    const { code, stdout, stderr } = await run(
      ['patch', 'zero-edit/skaffold.yaml'],
      tmp
    )
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^# file: zero-edit\/skaffold.yaml -> zero-edit\/.skaffold-kaniko-cache.skaffold.yaml\n/
    )
    expect(stdout).toContain('dockerfile: .skaffold-kaniko-cache.Dockerfile')
    expect(stdout).toContain(
      '# file: zero-edit/Dockerfile -> zero-edit/.skaffold-kaniko-cache.Dockerfile\nFROM golang:1.22 AS build\nARG GOMODCACHE\nARG GOCACHE\nRUN go build -o /app .\n'
    )
    expect(stderr).toContain(
      'dockerfile zero-edit/Dockerfile: the copy adds ARG GOMODCACHE, ARG GOCACHE after line 1'
    )
  })

  it('--patch-dockerfile never leaves the Dockerfile alone', async () => {
    setup()
    const { code, stdout } = await run(
      ['patch', '--patch-dockerfile', 'never', 'zero-edit/skaffold.yaml'],
      tmp
    )
    expect(code).toBe(0)
    expect(stdout).not.toContain('dockerfile:')
    expect(stdout).not.toContain('# file:')
  })

  it('rejects another --patch-dockerfile value with exit 2', async () => {
    setup()
    const { code, stderr } = await run(
      ['patch', '--patch-dockerfile', 'yes', 'zero-edit/skaffold.yaml'],
      tmp
    )
    expect(code).toBe(2)
    expect(stderr).toMatch(/--patch-dockerfile "yes": expected auto or never/)
  })
})
