/**
 * Editing one parsed YAML document through the `yaml` Document API, with no
 * skaffold knowledge: a plain-value view for reading, nodes for writing
 * (aliases and merge-key values become own copies so an anchor is never
 * edited for everyone), line lookups for messages, and the minimal-diff
 * rendering of an edited file. Pure.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  YAMLMap,
  YAMLSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type ParsedNode,
  type Scalar
} from 'yaml'
import { isDeepStrictEqual } from 'node:util'
import { spliceEdits } from './splice.js'

/** A plain mapping as `toJS` returns it. */
export type Json = Record<string, unknown>

/** Keys and indexes from a document's root to a node. */
export type YamlPath = (string | number)[]

/** Whether a plain value is a mapping (not null, not a list). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Finds a key case-insensitively. */
export function getLoose(obj: Json, key: string): unknown {
  const lower = key.toLowerCase()
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return found === undefined ? undefined : obj[found]
}

/** What the minimal-diff splice needs to know about the edits of a file. */
export interface EditTrace {
  /** Pairs whose value node was replaced, with the old value's range. */
  replacedValues: WeakMap<Pair, [number, number]>
  /** Scalars whose value was edited in place. */
  editedScalars: WeakSet<Scalar>
}

/** Throws a located error; the editor's caller decides the error type. */
export type Raise = (line: number, column: number, reason: string) => never

const TOJS = { maxAliasCount: 1000 }

/** One document under edit: reads see every write made so far. */
export class YamlEditor {
  /** True once any write changed the document. */
  changed = false
  private dirty = false
  private js: Json = {}

  constructor(
    readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly trace: EditTrace,
    private readonly raise: Raise
  ) {}

  /**
   * Re-reads the plain-value view.
   * @throws whatever `toJS` throws (e.g. too many aliases).
   */
  refresh(): void {
    const value: unknown = this.doc.toJS(TOJS)
    this.js = isObject(value) ? value : {}
  }

  /** The plain value at path (undefined when absent). */
  jsAt(path: YamlPath): unknown {
    if (this.dirty) {
      this.dirty = false
      this.refresh()
    }
    let value: unknown = this.js
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!Array.isArray(value)) return undefined
        value = value[seg]
      } else {
        if (!isObject(value)) return undefined
        value = value[seg]
      }
    }
    return value
  }

  /** A new node for a plain value. */
  createNode(value: unknown): Node {
    return this.doc.createNode(value)
  }

  /** The mapping at path for writing, created when absent or null. */
  writeMap(path: YamlPath): YAMLMap {
    const node = this.writeNode(path, () => new YAMLMap())
    if (!isMap(node)) this.failAt(path, 'expected a mapping here')
    if (node.flow) node.flow = false
    return node
  }

  /** The list at path for writing, created when absent or null. */
  writeSeq(path: YamlPath): YAMLSeq {
    const node = this.writeNode(path, () => new YAMLSeq())
    if (!isSeq(node)) this.failAt(path, 'expected a list here')
    if (node.flow) node.flow = false
    return node
  }

  /** Sets key in the mapping at path: an existing scalar is edited in place (a small diff). */
  setScalar(path: YamlPath, key: string, value: unknown): void {
    const map = this.writeMap(path)
    const own = map.get(key, true)
    if (isScalar(own)) {
      own.value = value
      this.trace.editedScalars.add(own)
    } else {
      map.set(this.createNode(key), this.createNode(value))
    }
    this.touch()
  }

  /** Replaces the value of key in the mapping at path (an empty or null value included). */
  replaceValue(path: YamlPath, key: string, value: unknown): void {
    const map = this.writeMap(path)
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key)
    if (pair) {
      this.recordReplaced(pair)
      pair.value = this.createNode(value)
    } else {
      map.set(this.createNode(key), this.createNode(value))
    }
    this.touch()
  }

  /** Appends plain values to the list at path. */
  append(path: YamlPath, values: unknown[]): void {
    if (values.length === 0) return
    const seq = this.writeSeq(path)
    for (const v of values) seq.add(this.createNode(v))
    this.touch()
  }

  /** Marks the document changed and the plain-value view stale. */
  touch(): void {
    this.changed = true
    this.dirty = true
  }

  /** The 1-based line of the node at path, or of its nearest parsed ancestor (0 when none). */
  lineOf(path: YamlPath): number {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt(path.slice(0, n))
      const start = (node as ParsedNode | undefined)?.range?.[0]
      if (start !== undefined) return this.lineCounter.linePos(start).line
    }
    return 0
  }

  /** Raises at the line of path. */
  failAt(path: YamlPath, reason: string): never {
    return this.raise(this.lineOf(path), 0, reason)
  }

  /** Raises at the line and column of a node. */
  failAtNode(node: Node, reason: string): never {
    const start = (node as ParsedNode).range?.[0]
    const pos =
      start === undefined
        ? { line: 0, col: 0 }
        : this.lineCounter.linePos(start)
    return this.raise(pos.line, pos.col, reason)
  }

  /** The node at path for writing: aliases and merge-key values become own copies. */
  private writeNode(path: YamlPath, create: () => Node): Node {
    let node = this.doc.contents as Node
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]
      const make = i === path.length - 1 ? create : () => new YAMLMap()
      if (isSeq(node) && typeof seg === 'number') {
        node = this.blockIfFlow(this.ownItem(node, seg))
      } else if (isMap(node) && typeof seg === 'string') {
        node = this.blockIfFlow(this.ownValue(node, seg, make))
      } else {
        this.failAt(
          path.slice(0, i),
          `expected a ${typeof seg === 'number' ? 'list' : 'mapping'} here`
        )
      }
    }
    return node
  }

  /** A list item for writing: an alias becomes a copy. */
  private ownItem(seq: YAMLSeq, index: number): Node {
    const item = seq.items[index] as Node
    if (!isAlias(item)) return item
    const copy = this.copyOf(item.resolve(this.doc) as Node)
    seq.items[index] = copy
    this.touch()
    return copy
  }

  /** A mapping value for writing: an alias or a merged-in value becomes a copy, a missing one is made. */
  private ownValue(map: YAMLMap, key: string, make: () => Node): Node {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key)
    let value = pair?.value as Node | null | undefined
    if (pair && isAlias(value)) {
      this.recordReplaced(pair)
      value = this.copyOf(value.resolve(this.doc) as Node)
      pair.value = value
      this.touch()
    } else if (!pair) {
      const merged = this.mergedValue(map, key)
      if (merged !== undefined) {
        value = this.copyOf(merged)
        map.set(this.createNode(key), value)
        this.touch()
      }
    }
    if (
      value === undefined ||
      value === null ||
      (isScalar(value) && value.value === null)
    ) {
      const fresh = make()
      if (pair) {
        this.recordReplaced(pair)
        pair.value = fresh
      } else {
        map.set(this.createNode(key), fresh)
      }
      value = fresh
      this.touch()
    }
    return value
  }

  /** A flow collection we write into becomes a block one (readable output). */
  private blockIfFlow(node: Node): Node {
    if ((isMap(node) || isSeq(node)) && node.flow) {
      node.flow = false
      this.touch()
    }
    return node
  }

  private mergedValue(map: YAMLMap, key: string): Node | undefined {
    for (const pair of map.items) {
      if (!isScalar(pair.key) || !isMergeKey(pair.key.value)) continue
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value]
      for (const s of sources) {
        const resolved = isAlias(s) ? s.resolve(this.doc) : s
        if (isMap(resolved)) {
          const found = resolved.get(key, true) as Node | undefined
          if (found !== undefined) {
            return isAlias(found) ? found.resolve(this.doc) : found
          }
        }
      }
    }
    return undefined
  }

  /**
   * A plain copy of an anchored node: editing the anchor itself would change
   * every other place that uses it.
   */
  private copyOf(node: Node): Node {
    return this.createNode(node.toJS(this.doc, TOJS))
  }

  private recordReplaced(pair: Pair): void {
    const range = (pair.value as ParsedNode | null)?.range
    if (range) this.trace.replacedValues.set(pair, [range[0], range[1]])
  }

  private nodeAt(path: YamlPath): Node | undefined {
    let node: unknown = this.doc.contents
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc)
      if (isSeq(node) && typeof seg === 'number') node = node.items[seg]
      else if (isMap(node) && typeof seg === 'string')
        node = node.get(seg, true)
      else return undefined
    }
    return (node ?? undefined) as Node | undefined
  }
}

function isMergeKey(value: unknown): boolean {
  return (
    value === '<<' || (typeof value === 'symbol' && value.description === '<<')
  )
}

const RENDER = { lineWidth: 0, flowCollectionPadding: false }
const PARSE = { merge: true, uniqueKeys: true }

/** An edited file: its source, its documents and what the edits touched. */
export interface EditedFile {
  source: string
  docs: Document.Parsed[]
  lineCounter: LineCounter
  indentSeq: boolean
  trace: EditTrace
}

/**
 * Renders an edited file: the original text with only the additions spliced
 * in, or, when the splice cannot reproduce the edited documents exactly, the
 * whole file re-printed by yaml (comments and key order kept, spacing
 * normalised).
 */
export function renderEditedFile(file: EditedFile): string {
  const spliced = spliceEdits({
    source: file.source,
    docs: file.docs,
    lineCounter: file.lineCounter,
    indentSeq: file.indentSeq,
    replacedValues: file.trace.replacedValues,
    editedScalars: file.trace.editedScalars
  })
  if (spliced !== null && sameDocuments(spliced, file.docs)) return spliced
  return file.docs
    .map((doc) => doc.toString({ ...RENDER, indentSeq: file.indentSeq }))
    .join('')
}

function sameDocuments(text: string, docs: Document.Parsed[]): boolean {
  const reparsed = parseAllDocuments(text, PARSE)
  if (reparsed.length !== docs.length) return false
  return reparsed.every(
    (doc, i) =>
      doc.errors.length === 0 &&
      isDeepStrictEqual(doc.toJS(TOJS), docs[i].toJS(TOJS))
  )
}

/**
 * yaml re-indents block sequences one way for the whole file; picks the way
 * that changes fewer lines of this (valid) text, so the diff stays small.
 */
export function chooseIndentSeq(text: string): boolean {
  const lines = text.split('\n')
  const cost = (indentSeq: boolean): number => {
    const out = parseAllDocuments(text, PARSE)
      .map((d) => d.toString({ ...RENDER, indentSeq }))
      .join('')
      .split('\n')
    let diff = 0
    for (let i = 0; i < Math.max(lines.length, out.length); i++) {
      if (lines[i] !== out[i]) diff++
    }
    return diff
  }
  return cost(true) <= cost(false)
}
