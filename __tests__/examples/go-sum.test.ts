/**
 * The examples are real Go modules for a user: their go.sum holds the
 * upstream module hashes (what proxy.golang.org serves), and only the local
 * stack swaps in a test-only go.sum for the Debian-made zips of its proxy.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import {
  DEBIAN_GOCODE,
  DEBIAN_MODULES,
  debianModuleSources,
  localGoSum
} from '../../test-support/module-proxy/index.js'

const examples = new URL('../../examples/', import.meta.url).pathname

function goSum(example: string): string {
  return readFileSync(`${examples}${example}/go.sum`, 'utf8')
}

/**
 * Upstream go.sum lines, public facts: the same `h1:` hashes appear in
 * independent public repositories' go.sum files (e.g.
 * Desquaredp/Distributed-Compute-Engine src/go.sum for uuid v1.3.0 and
 * yaml.v3 v3.0.1; jmpsec/osctrl utils/go.sum for yaml.v3 v3.0.1;
 * codihuston/ustrending public-api-go/go.sum and whatap/go-api-example
 * github.com/gorilla/mux/go.sum for mux v1.8.0 and uuid v1.3.0).
 */
const UPSTREAM = {
  'feed-agg': [
    'github.com/google/uuid v1.3.0 h1:t6JiXgmwXMjEs8VusXIJk2BXHsn+wx8BZdTaoZ5fu7I=',
    'github.com/google/uuid v1.3.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=',
    'gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405/go.mod h1:Co6ibVJAznAaIkqp8huTwlJQCZ016jof/cbN4VW5Yz0=',
    'gopkg.in/yaml.v3 v3.0.1 h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=',
    'gopkg.in/yaml.v3 v3.0.1/go.mod h1:K4uyk7z7BCEPqu6E+C64Yfv1cQ7kz7rIZviUmN+EgEM='
  ],
  shortener: [
    'github.com/google/uuid v1.3.0 h1:t6JiXgmwXMjEs8VusXIJk2BXHsn+wx8BZdTaoZ5fu7I=',
    'github.com/google/uuid v1.3.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=',
    'github.com/gorilla/mux v1.8.0 h1:i40aqfkR1h2SlN9hojwV5ZA91wcXFOvkdNIeFDP5koI=',
    'github.com/gorilla/mux v1.8.0/go.mod h1:DVbg23sWSpFRCP0SfiEN6jmj59UnW/n46BH5rLB71So='
  ]
}

describe('the examples go.sum', () => {
  it.each(Object.entries(UPSTREAM))(
    '%s holds the upstream module hashes',
    (example, lines) => {
      expect(goSum(example)).toBe(lines.join('\n') + '\n')
    }
  )
})

const debianPresent = DEBIAN_MODULES.every((m) =>
  existsSync(`${DEBIAN_GOCODE}/${m.path}`)
)
if (!debianPresent) {
  process.stdout.write(
    `skipping the local go.sum checks: Debian's Go sources are missing under ${DEBIAN_GOCODE} (apt-get install -y ${DEBIAN_MODULES.map((m) => m.debianPackage).join(' ')})\n`
  )
}
const withDebian = debianPresent ? describe : describe.skip

withDebian('the local stack go.sum', () => {
  it('hashes the proxy zips as the go command does', async () => {
    // These zip hashes were written by the real go command (go 1.19) against
    // the local proxy; the go.mod hashes are upstream's, since Debian keeps
    // the go.mod files unchanged.
    const local = await localGoSum(goSum('feed-agg'), debianModuleSources())
    expect(local).toBe(
      [
        'github.com/google/uuid v1.3.0 h1:2Ajak/s9ond9xWZtWglNUouVyMHz28G7Z8R0e18RxNs=',
        'github.com/google/uuid v1.3.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=',
        'gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405/go.mod h1:Co6ibVJAznAaIkqp8huTwlJQCZ016jof/cbN4VW5Yz0=',
        'gopkg.in/yaml.v3 v3.0.1 h1:23ZJfZxqg3SAxuvbdaUZ9ZJ2YylNFG5V4DGZw4Q+ojY=',
        'gopkg.in/yaml.v3 v3.0.1/go.mod h1:K4uyk7z7BCEPqu6E+C64Yfv1cQ7kz7rIZviUmN+EgEM='
      ].join('\n') + '\n'
    )
  })

  it('refuses a module version the local proxy does not serve', async () => {
    await expect(
      localGoSum('example.com/missing v1.0.0 h1:AAAA=\n', debianModuleSources())
    ).rejects.toThrow(/does not serve/)
  })
})
