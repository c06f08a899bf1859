/**
 * A small PNG reader for the screenshot test (8-bit RGB or RGBA,
 * non-interlaced: what Chromium's --screenshot writes), and a writer used to
 * test the reader on every filter type. Only node:zlib: no image library.
 * Format: https://www.w3.org/TR/png-3/
 */
import { deflateSync, inflateSync } from 'node:zlib'

/** Decoded pixels, row-major, `channels` bytes per pixel. */
export interface PngImage {
  width: number
  height: number
  channels: 3 | 4
  pixels: Uint8Array
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  if (pa <= pb && pa <= pc) return a
  return pb <= pc ? b : c
}

/** Decodes a PNG; throws naming what is unsupported or malformed. */
export function decodePng(data: Uint8Array): PngImage {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG: the signature is missing')
  }
  let width = 0
  let height = 0
  let channels: 3 | 4 = 3
  const idat: Buffer[] = []
  let offset = 8
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const type = bytes.toString('latin1', offset + 4, offset + 8)
    const body = bytes.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const [depth, colorType, , , interlace] = body.subarray(8, 13)
      if (depth !== 8 || (colorType !== 2 && colorType !== 6)) {
        throw new Error(
          `unsupported PNG: bit depth ${depth}, colour type ${colorType} (only 8-bit RGB and RGBA)`
        )
      }
      if (interlace !== 0) throw new Error('unsupported PNG: interlaced')
      channels = colorType === 6 ? 4 : 3
    } else if (type === 'IDAT') {
      idat.push(body)
    } else if (type === 'IEND') {
      break
    }
    offset += 12 + length
  }
  if (width === 0 || height === 0) throw new Error('PNG without IHDR')
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  if (raw.length < height * (stride + 1)) {
    throw new Error(
      `PNG data too short: ${raw.length} bytes for ${width}x${height}`
    )
  }
  const pixels = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = y * stride
    const prev = y > 0 ? out - stride : -1
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[out + x - channels] : 0
      const b = prev >= 0 ? pixels[prev + x] : 0
      const c = prev >= 0 && x >= channels ? pixels[prev + x - channels] : 0
      let predictor: number
      switch (filter) {
        case 0:
          predictor = 0
          break
        case 1:
          predictor = a
          break
        case 2:
          predictor = b
          break
        case 3:
          predictor = (a + b) >> 1
          break
        case 4:
          predictor = paeth(a, b, c)
          break
        default:
          throw new Error(`PNG row ${y}: unknown filter type ${filter}`)
      }
      pixels[out + x] = (line[x] + predictor) & 0xff
    }
  }
  return { width, height, channels, pixels }
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])))
  return Buffer.concat([head, body, crc])
}

/**
 * Encodes an image, filtering row y with `filters[y % filters.length]`, so
 * a test can hand the reader every filter type.
 */
export function encodePng(image: PngImage, filters: number[] = [0]): Buffer {
  const { width, height, channels, pixels } = image
  const stride = width * channels
  const raw = Buffer.alloc(height * (stride + 1))
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length]
    raw[y * (stride + 1)] = filter
    const row = y * stride
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels] : 0
      const b = y > 0 ? pixels[row - stride + x] : 0
      const c = y > 0 && x >= channels ? pixels[row - stride + x - channels] : 0
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]
      raw[y * (stride + 1) + 1 + x] = (pixels[row + x] - predictor) & 0xff
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8)
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0))
  ])
}
