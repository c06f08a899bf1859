/**
 * Why a save returned no entry, told from what the client call did (its
 * HTTP exchanges and annotations, as recorded by the call tracer). Pure.
 *
 * @actions/cache 6.3.0 logs every refused reservation (a 409, but also a
 * 429 or a 5xx) at info level as "another job may be creating this cache",
 * and a refused upload with the Azure SDK's message, which is empty when the
 * blob service answers an unexpected 2xx (actions/toolkit
 * packages/cache/src/cache.ts saveCacheV2; packages/cache/src/internal/
 * uploadUtils.ts uploadCacheArchiveSDK).
 */

/** One HTTP request a call made, and the status it got (none: no answer). */
export interface Exchange {
  method: string
  /** Origin and path; the query (a SAS signature) is left out. */
  url: string
  status?: number
  /** The x-ms-error-code header of an Azure blob error. */
  errorCode?: string
}

/** What one client call did. */
export interface CallTrace {
  /** Its ::warning:: and ::error:: messages, unescaped. */
  annotations: string[]
  exchanges: Exchange[]
}

export type FailedSave =
  /** The service answered CreateCacheEntry with 409: the key exists or is being saved. */
  | { outcome: 'reserved' }
  | {
      outcome: 'failed'
      reason: string
      /** The client logged a warning of its own already. */
      clientWarned: boolean
    }

const CREATE = '/CreateCacheEntry'

/** Explains a saveCache call that returned -1. */
export function explainFailedSave(trace: CallTrace): FailedSave {
  // The last try counts: the client retries a 5xx reservation.
  const createAt = trace.exchanges
    .map((e) => e.url.endsWith(CREATE))
    .lastIndexOf(true)
  const create = trace.exchanges[createAt]
  if (create?.status === 409 && trace.annotations.length === 0) {
    return { outcome: 'reserved' }
  }
  const detail: string[] = []
  if (create !== undefined && create.status !== 200) {
    detail.push(`reserving the key: ${answered(create)}`)
  } else if (create !== undefined) {
    const uploads = trace.exchanges
      .slice(createAt + 1)
      .filter((e) => e.method === 'PUT')
    // Azure answers Put Blob, Put Block and Put Block List with 201 only.
    const refused = uploads.find((e) => e.status !== 201)
    if (uploads.length === 0) {
      detail.push('the service reserved the key but no upload was sent')
    } else if (refused) {
      detail.push(`upload: ${answered(refused)}, expected HTTP 201`)
    }
  }
  // "…cache archive: " with nothing after says nothing: leave it out.
  const said = trace.annotations
    .map((line) => line.trim())
    .filter((line) => !line.endsWith(':'))
  return {
    outcome: 'failed',
    reason: [...detail, ...said].join('; ') || 'the client gave no reason',
    clientWarned: trace.annotations.length > 0
  }
}

function answered(exchange: Exchange): string {
  const where = `${exchange.method} ${pathOf(exchange.url)}`
  if (exchange.status === undefined) return `${where} got no answer`
  const code = exchange.errorCode ? ` ${exchange.errorCode}` : ''
  return `${where} answered HTTP ${exchange.status}${code}`
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}
