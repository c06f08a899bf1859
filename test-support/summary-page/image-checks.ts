/**
 * What the screenshot test measures in a decoded PNG: how much dark text
 * there is on how light a background, and where tables are (grids of
 * horizontal border lines joined by vertical ones). Pure.
 */
import type { PngImage } from './png.js'

/** An RGB colour, 0-255 per channel. */
export type Rgb = readonly [number, number, number]

/** Parses `#rrggbb`. */
export function parseHexColor(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`)
  return [
    parseInt(match[1], 16),
    parseInt(match[2], 16),
    parseInt(match[3], 16)
  ]
}

function pixel(image: PngImage, x: number, y: number): Rgb {
  const at = (y * image.width + x) * image.channels
  const p = image.pixels
  return [p[at], p[at + 1], p[at + 2]]
}

// WCAG relative luminance: https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
function luminance([r, g, b]: Rgb): number {
  const linear = (v: number): number => {
    const s = v / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

/** How an image's ink is spread. */
export interface InkReport {
  /** Share of pixels with luminance over 0.8 (background and light fills). */
  lightShare: number
  /** Pixels with luminance under 0.1: text strokes. */
  darkPixels: number
  /** Distinct colours among the dark pixels (anti-aliased text has many). */
  darkColors: number
  /** Runs of consecutive pixel rows holding dark pixels: lines of text. */
  textLines: number
  /** Contrast between the darkest pixel and the most common colour. */
  contrast: number
  /** The most common colour. */
  background: Rgb
}

/** Measures the dark ink on the light page. */
export function measureInk(image: PngImage): InkReport {
  let light = 0
  let darkPixels = 0
  const darkColors = new Set<number>()
  const counts = new Map<number, number>()
  let darkest: Rgb = [255, 255, 255]
  let textLines = 0
  let previousRowDark = false
  for (let y = 0; y < image.height; y++) {
    let rowDark = false
    for (let x = 0; x < image.width; x++) {
      const rgb = pixel(image, x, y)
      const code = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]
      counts.set(code, (counts.get(code) ?? 0) + 1)
      const l = luminance(rgb)
      if (l > 0.8) light++
      if (l < 0.1) {
        darkPixels++
        darkColors.add(code)
        rowDark = true
        if (l < luminance(darkest)) darkest = rgb
      }
    }
    if (rowDark && !previousRowDark) textLines++
    previousRowDark = rowDark
  }
  let top = 0
  let topCount = -1
  for (const [code, count] of counts) {
    if (count > topCount) [top, topCount] = [code, count]
  }
  const background: Rgb = [(top >> 16) & 0xff, (top >> 8) & 0xff, top & 0xff]
  return {
    lightShare: light / (image.width * image.height),
    darkPixels,
    darkColors: darkColors.size,
    textLines,
    contrast: contrastRatio(darkest, background),
    background
  }
}

/** A table found in the image: its outer left and right edge, its lines. */
export interface Grid {
  left: number
  right: number
  /** y of each horizontal border line, top to bottom. */
  lines: number[]
}

function isColor(image: PngImage, x: number, y: number, color: Rgb): boolean {
  const rgb = pixel(image, x, y)
  return (
    Math.abs(rgb[0] - color[0]) <= 6 &&
    Math.abs(rgb[1] - color[1]) <= 6 &&
    Math.abs(rgb[2] - color[2]) <= 6
  )
}

function verticalRun(
  image: PngImage,
  x: number,
  from: number,
  to: number,
  color: Rgb
): boolean {
  for (let y = from; y <= to; y++) {
    if (!isColor(image, x, y, color)) return false
  }
  return true
}

/**
 * Finds tables drawn with 1px borders of `border`: horizontal runs of that
 * colour at least `minWidth` long with the same left and right ends, one
 * under the other, joined by unbroken vertical border lines at both ends.
 * Returns grids of two lines or more (one row or more), top to bottom.
 */
export function findGrids(image: PngImage, border: Rgb, minWidth = 40): Grid[] {
  const byExtent = new Map<string, number[]>()
  for (let y = 0; y < image.height; y++) {
    let x = 0
    while (x < image.width) {
      if (!isColor(image, x, y, border)) {
        x++
        continue
      }
      const start = x
      while (x < image.width && isColor(image, x, y, border)) x++
      if (x - start >= minWidth) {
        const key = `${start},${x - 1}`
        byExtent.set(key, [...(byExtent.get(key) ?? []), y])
      }
    }
  }
  const grids: Grid[] = []
  for (const [key, ys] of byExtent) {
    const [left, right] = key.split(',').map(Number)
    let current: number[] = []
    for (const y of ys) {
      const last = current[current.length - 1]
      const joined =
        last !== undefined &&
        verticalRun(image, left, last, y, border) &&
        verticalRun(image, right, last, y, border)
      if (last !== undefined && y === last + 1) {
        // A border two pixels thick is one line.
        current[current.length - 1] = y
      } else if (joined) {
        current.push(y)
      } else {
        if (current.length >= 2) grids.push({ left, right, lines: current })
        current = [y]
      }
    }
    if (current.length >= 2) grids.push({ left, right, lines: current })
  }
  return grids.sort((a, b) => a.lines[0] - b.lines[0])
}
