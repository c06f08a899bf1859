/**
 * What each entry point loads before its first line: the static import graph
 * of src/entry/*.ts (what ncc puts in the bundle's first file; an
 * `import()` becomes a chunk loaded on use). The post step only deletes the
 * patched copies, so it must not load the skaffold and Dockerfile code
 * (yaml, dockerfile-ast); neither step loads the cache client before a cache
 * is restored or saved.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import ts from 'typescript'
import { REPO_ROOT } from '../../test-support/runner-harness/index.js'

interface Graph {
  /** Packages imported statically (loaded at start). */
  packages: Set<string>
  /** Packages imported only through import() somewhere in the graph. */
  lazy: Set<string>
}

/**
 * Follows static imports from one file. `import type` is left out (erased);
 * an import with only inline `type` names is kept, since
 * verbatimModuleSyntax leaves it as a side-effect import.
 */
function staticGraph(entry: string): Graph {
  const graph: Graph = { packages: new Set(), lazy: new Set() }
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.ES2022,
      true
    )
    const follow = (specifier: string, lazy: boolean): void => {
      if (specifier.startsWith('.')) {
        if (!lazy)
          visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
        return
      }
      if (specifier.startsWith('node:')) return
      const name = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0]
      ;(lazy ? graph.lazy : graph.packages).add(name)
    }
    const walk = (node: ts.Node): void => {
      if (
        ts.isImportDeclaration(node) &&
        !node.importClause?.isTypeOnly &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        follow(node.moduleSpecifier.text, false)
      } else if (
        ts.isExportDeclaration(node) &&
        !node.isTypeOnly &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        follow(node.moduleSpecifier.text, false)
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        follow(node.arguments[0].text, true)
      }
      ts.forEachChild(node, walk)
    }
    walk(source)
  }
  visit(join(REPO_ROOT, entry))
  return graph
}

describe('what each entry point loads at start', () => {
  it('the post step loads only the exec client before its first line', () => {
    // Not yaml or dockerfile-ast (it only deletes the patched copies), not
    // @actions/core (its OIDC client loads an HTTP stack at import).
    expect([...staticGraph('src/entry/post.ts').packages]).toEqual([
      '@actions/exec'
    ])
  })

  it('the main step checks its inputs before it loads any package', () => {
    const graph = staticGraph('src/entry/main.ts')
    expect([...graph.packages]).toEqual([])
    // The rest of the step, parsers and clients included, comes after.
    const rest = staticGraph('src/main.ts').packages
    expect(rest.has('yaml')).toBe(true)
    expect(rest.has('dockerfile-ast')).toBe(true)
  })

  it('no step loads @actions/core, @actions/tool-cache or @actions/glob at start', () => {
    for (const entry of ['src/main.ts', 'src/post.ts']) {
      const { packages } = staticGraph(entry)
      for (const heavy of [
        '@actions/core',
        '@actions/tool-cache',
        '@actions/glob'
      ]) {
        expect({ entry, loads: packages.has(heavy) }).toEqual({
          entry,
          loads: false
        })
      }
    }
    expect(staticGraph('src/adapters/tools.ts').lazy).toContain(
      '@actions/tool-cache'
    )
    expect(staticGraph('src/adapters/hash.ts').lazy).toContain('@actions/glob')
  })

  it('neither step loads @actions/cache before a cache is restored or saved', () => {
    for (const entry of ['src/entry/main.ts', 'src/entry/post.ts']) {
      const graph = staticGraph(entry)
      expect({ entry, static: [...graph.packages] }).not.toEqual(
        expect.objectContaining({
          static: expect.arrayContaining(['@actions/cache'])
        })
      )
    }
    // Still used: through import() in the cache adapter.
    expect(
      staticGraph('src/adapters/cache.ts').lazy.has('@actions/cache')
    ).toBe(true)
  })
})
