/**
 * Minimal-diff rendering: instead of re-printing a whole edited document
 * (yaml's printer normalises indentation and spacing of lines we never
 * touched), splice only the new keys, items and replaced values into the
 * original text. Pure. The caller re-parses the result and falls back to
 * the full printer when the splice does not reproduce the edited document.
 */
import {
  Document,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  YAMLMap,
  YAMLSeq,
  type LineCounter,
  type Node,
  type Pair,
  type ParsedNode,
  type Scalar
} from 'yaml'

/** One text replacement in the original source. */
interface Edit {
  start: number
  end: number
  text: string
}

/** What the splicer needs to know about the edits made through the Document API. */
export interface SpliceInput {
  source: string
  docs: Document.Parsed[]
  lineCounter: LineCounter
  indentSeq: boolean
  /** Pairs whose original value node was replaced: the old value's source range. */
  replacedValues: WeakMap<Pair, [number, number]>
  /** Original scalars whose value was changed in place. */
  editedScalars: WeakSet<Scalar>
}

class Unsupported extends Error {}

const RENDER = { lineWidth: 0, flowCollectionPadding: false }

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as ParsedNode | null | undefined)?.range ?? undefined
}

/**
 * Applies the edits to the source text.
 * @returns the spliced text, or null when an edit has a shape it does not handle.
 */
export function spliceEdits(input: SpliceInput): string | null {
  const edits: Edit[] = []
  try {
    for (const doc of input.docs) {
      if (doc.contents) visit(doc.contents, input, edits)
    }
  } catch (error) {
    if (error instanceof Unsupported) return null
    throw error
  }
  // Keep a CRLF file CRLF.
  if (input.source.includes('\r\n')) {
    for (const edit of edits) edit.text = edit.text.replace(/\r?\n/g, '\r\n')
  }
  // Apply from the end. Two insertions at one offset: the one collected
  // later (an enclosing map) is applied first, so the nested one ends up
  // above it, inside its parent.
  const order = new Map(edits.map((edit, i) => [edit, i]))
  edits.sort((a, b) => b.start - a.start || order.get(b)! - order.get(a)!)
  let text = input.source
  let last = Infinity
  for (const edit of edits) {
    if (edit.end > last) return null
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end)
    last = edit.start
  }
  return text
}

function visit(node: Node, input: SpliceInput, edits: Edit[]): void {
  if (isScalar(node)) {
    if (input.editedScalars.has(node)) {
      const range = rangeOf(node)
      if (!range) throw new Unsupported()
      edits.push({
        start: range[0],
        end: range[1],
        text: renderNode(node, input).trimEnd()
      })
    }
    return
  }
  if (!isCollection(node)) return
  const range = rangeOf(node)
  if (!range) throw new Unsupported()
  const flowInSource = /^[[{]/.test(input.source.slice(range[0], range[0] + 1))
  if (flowInSource) {
    // Changed flow collections are replaced by their parent (see visitPair).
    if (hasNewContent(node, input)) throw new Unsupported()
    return
  }
  if (isMap(node)) {
    const fresh: Pair[] = []
    for (const pair of node.items) {
      if (!rangeOf(pair.key)) {
        fresh.push(pair)
        continue
      }
      visitPair(pair, input, edits)
    }
    if (fresh.length > 0) {
      const first = node.items.find((p) => rangeOf(p.key))
      if (!first) throw new Unsupported()
      const indent = columnOf(rangeOf(first.key)![0], input)
      const block = new YAMLMap()
      block.items = fresh
      edits.push(
        insertAfter(node, indentLines(renderNode(block, input), indent), input)
      )
    }
    return
  }
  if (isSeq(node)) {
    const fresh: unknown[] = []
    for (const item of node.items) {
      if (!rangeOf(item)) fresh.push(item)
      else visit(item as Node, input, edits)
    }
    if (fresh.length > 0) {
      const first = node.items.find((i) => rangeOf(i))
      if (!first) throw new Unsupported()
      const indent = dashColumn(rangeOf(first)![0], input)
      const block = new YAMLSeq()
      block.items = fresh
      edits.push(
        insertAfter(node, indentLines(renderNode(block, input), indent), input)
      )
    }
  }
}

function visitPair(pair: Pair, input: SpliceInput, edits: Edit[]): void {
  const value = pair.value as Node | null
  const keyRange = rangeOf(pair.key)!
  const replaced = input.replacedValues.get(pair)
  const valueRange = rangeOf(value)
  const flowChanged =
    valueRange !== undefined &&
    isCollection(value) &&
    /^[[{]/.test(input.source.slice(valueRange[0], valueRange[0] + 1)) &&
    hasNewContent(value, input)
  if (replaced || flowChanged) {
    const [start, end] = replaced ?? [valueRange![0], valueRange![1]]
    const colon = input.source.indexOf(':', keyRange[1])
    if (colon < 0 || colon > start) throw new Unsupported()
    const keyColumn = columnOf(keyRange[0], input)
    let text: string
    if (isMap(value) && value.items.length > 0) {
      const block = cloneBlock(value)
      text =
        '\n' + indentLines(renderNode(block, input), keyColumn + 2).trimEnd()
    } else if (isSeq(value) && value.items.length > 0) {
      const block = cloneBlock(value)
      const indent = keyColumn + (input.indentSeq ? 2 : 0)
      text = '\n' + indentLines(renderNode(block, input), indent).trimEnd()
    } else {
      text = ' ' + renderNode(value as Node, input).trimEnd()
    }
    edits.push({ start: colon + 1, end, text })
    return
  }
  if (value && valueRange) visit(value, input, edits)
  else if (value && !valueRange) throw new Unsupported()
}

function cloneBlock<T extends YAMLMap | YAMLSeq>(node: T): T {
  const copy = node.clone() as T
  copy.flow = false
  return copy
}

/** True when a collection (or anything below it) holds nodes not from the source. */
function hasNewContent(node: Node, input: SpliceInput): boolean {
  if (isScalar(node)) return input.editedScalars.has(node)
  if (isMap(node)) {
    return node.items.some(
      (p) =>
        !rangeOf(p.key) ||
        input.replacedValues.has(p) ||
        (p.value !== null && !rangeOf(p.value)) ||
        (isCollection(p.value) && hasNewContent(p.value, input))
    )
  }
  if (isSeq(node)) {
    return node.items.some(
      (i) => !rangeOf(i) || (isCollection(i) && hasNewContent(i, input))
    )
  }
  return false
}

function renderNode(node: Node, input: SpliceInput): string {
  const doc = new Document()
  doc.contents = node
  return doc.toString({ ...RENDER, indentSeq: input.indentSeq })
}

function indentLines(text: string, indent: number): string {
  const pad = ' '.repeat(indent)
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n')
}

function columnOf(offset: number, input: SpliceInput): number {
  return input.lineCounter.linePos(offset).col - 1
}

/** Column of the `-` that introduces a block sequence item starting at offset. */
function dashColumn(offset: number, input: SpliceInput): number {
  const lineStart = input.source.lastIndexOf('\n', offset - 1) + 1
  const before = input.source.slice(lineStart, offset)
  const dash = before.lastIndexOf('-')
  if (dash < 0) throw new Unsupported()
  return dash
}

/** Inserts text on the line after the collection's last original entry. */
function insertAfter(node: Node, text: string, input: SpliceInput): Edit {
  const range = rangeOf(node)!
  const src = input.source
  // Block collections end after their last line; trailing blank lines and
  // comments that follow belong to what comes next.
  let end = range[1]
  while (end > range[0] && /\s/.test(src[end - 1]) && src[end - 1] !== '\n') {
    end--
  }
  let at: number
  if (end > 0 && src[end - 1] === '\n') {
    at = end
  } else {
    const newline = src.indexOf('\n', end)
    if (newline < 0) {
      return { start: src.length, end: src.length, text: '\n' + text.trimEnd() }
    }
    at = newline + 1
  }
  return { start: at, end: at, text: text.endsWith('\n') ? text : text + '\n' }
}
