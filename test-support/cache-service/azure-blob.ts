/**
 * The Azure Blob shapes the local cache service answers with: success
 * headers, errors, and byte ranges. Facts checked against Azurite, an
 * independent implementation of the Blob REST API, and the Azure docs.
 */
import type { ServerResponse } from 'node:http'

/** Statuses and error codes the service uses (Azure/Azurite src/blob/errors/StorageErrorFactory.ts). */
export const BLOB_ERRORS = {
  notFound: {
    status: 404,
    code: 'BlobNotFound',
    message: 'The specified blob does not exist.'
  },
  authenticationFailed: {
    status: 403,
    code: 'AuthenticationFailed',
    message:
      'Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.'
  },
  invalidBlockList: {
    status: 400,
    code: 'InvalidBlockList',
    message: 'The specified block list is invalid.'
  },
  invalidRange: {
    status: 416,
    code: 'InvalidRange',
    message:
      'The range specified is invalid for the current size of the resource.'
  },
  serverBusy: {
    status: 503,
    code: 'ServerBusy',
    message: 'The server is currently unable to receive requests.'
  }
} as const

export interface BlobError {
  status: number
  code: string
  message: string
}

/**
 * Sends an Azure storage error: the code in the x-ms-error-code header and an
 * XML body <Error><Code/><Message/></Error> whose message ends with the
 * request id and time (Azure/Azurite src/blob/errors/StorageError.ts,
 * constructor). The Azure SDK builds its RestError message from that body.
 */
export function sendBlobError(res: ServerResponse, error: BlobError): void {
  const requestId = crypto.randomUUID()
  const message = `${error.message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(message)}</Message></Error>`
  res.writeHead(error.status, {
    'Content-Type': 'application/xml',
    'Content-Length': String(Buffer.byteLength(xml)),
    'x-ms-error-code': error.code,
    'x-ms-request-id': requestId,
    'x-ms-version': '2026-02-06',
    Date: new Date().toUTCString()
  })
  res.end(xml)
}

/** Headers Azure sends with an upload's answer; the status is 201 for success. */
export function sendBlobStatus(res: ServerResponse, status: number): void {
  res.writeHead(status, {
    'Content-Length': '0',
    ETag: `"0x${Date.now().toString(16)}"`,
    'Last-Modified': new Date().toUTCString(),
    'x-ms-request-id': crypto.randomUUID(),
    'x-ms-version': '2026-02-06',
    Date: new Date().toUTCString()
  })
  res.end()
}

/** A byte range to serve: inclusive start and end. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * The range of a Get Blob request. x-ms-range wins over Range when both are
 * given; the forms are bytes=start- and bytes=start-end ("Specifying the
 * range header for Blob service operations", Azure Storage REST docs). An
 * end past the blob is cut to its last byte; a start past its size is
 * unsatisfiable (Azure/Azurite src/blob/handlers/BlobHandler.ts,
 * downloadBlockBlobOrAppendBlob). The Azure SDK sends x-ms-range
 * (@azure/storage-blob generated parameters, "range" → x-ms-range).
 *
 * @returns undefined without a range header, 'invalid' when unsatisfiable.
 */
export function requestedRange(
  headers: Record<string, string | string[] | undefined>,
  size: number
): ByteRange | 'invalid' | undefined {
  const raw = headers['x-ms-range'] ?? headers.range
  if (typeof raw !== 'string') return undefined
  const match = /^bytes=(\d+)-(\d*)$/.exec(raw.trim())
  if (!match) return 'invalid'
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (start >= size || end < start) return 'invalid'
  return { start, end }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
