/**
 * The image the double's kaniko pushes: one gzip layer holding what the
 * target stage's COPY/ADD instructions wrote (the built binary, config
 * files), a config blob and a Docker v2 schema 2 manifest (the media types
 * kaniko keeps for a Docker-format base such as distroless; go-containerregistry
 * pkg/v1/types/types.go). The base image's own layers are not there: the
 * double pulls no image.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { posix } from 'node:path'
import { gzipSync } from 'node:zlib'
import { CommandError } from '../io.js'
import { runProcess } from '../proc.js'
import type { FinalStage } from './build.js'

export const MEDIA_TYPES = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip'
} as const

/** A blob with its digest. */
export interface Blob {
  digest: string
  data: Buffer
}

/** The image, ready to push. */
export interface BuiltImage {
  layer: Blob
  config: Blob
  manifest: Blob
}

/**
 * kaniko's --reproducible sets every timestamp to Go's zero time
 * (pkg/executor/build.go calls go-containerregistry mutate.Canonical, which
 * uses time.Time{}); the double's images are always reproducible.
 */
const EPOCH = '0001-01-01T00:00:00Z'

function blob(data: Buffer): Blob {
  return {
    digest: `sha256:${createHash('sha256').update(data).digest('hex')}`,
    data
  }
}

/**
 * The layer as a reproducible tar (GNU tar: sorted names, mtime 0, owner
 * root): the same sources give the same digest, cold or warm.
 */
async function layerTar(final: FinalStage): Promise<Buffer> {
  const paths = [...new Set(final.copied.map((p) => posix.normalize(p)))]
    .map((p) => p.replace(/^\/+/, ''))
    .filter((p) => p !== '' && existsSync(posix.join(final.root, p)))
  const result = await runProcess('tar', [
    '--create',
    '--file=-',
    '--format=gnu',
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    `--directory=${final.root}`,
    '--',
    ...paths
  ])
  if (result.code !== 0)
    throw new CommandError(
      `cluster double: tar of the image layer failed: ${result.stderr.toString()}`,
      3
    )
  return result.stdout
}

/** Builds the layer, config and manifest of the target stage for `platform` (os/arch[/variant]). */
export async function assembleImage(
  final: FinalStage,
  platform: string
): Promise<BuiltImage> {
  const tar = await layerTar(final)
  const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`
  const layer = blob(gzipSync(tar))
  const [os, architecture, variant] = platform.split('/')
  const config = blob(
    Buffer.from(
      JSON.stringify({
        architecture,
        ...(variant === undefined ? {} : { variant }),
        os,
        created: EPOCH,
        config: {
          Env: Object.entries(final.env).map(([k, v]) => `${k}=${v}`),
          ...(final.entrypoint ? { Entrypoint: final.entrypoint } : {}),
          ...(final.cmd ? { Cmd: final.cmd } : {}),
          ...(final.user === '' ? {} : { User: final.user }),
          ...(final.workdir === '/' ? {} : { WorkingDir: final.workdir })
        },
        history: [
          {
            created: EPOCH,
            created_by: 'COPY (the final stage, cluster double)'
          }
        ],
        rootfs: { type: 'layers', diff_ids: [diffId] }
      })
    )
  )
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        config: {
          mediaType: MEDIA_TYPES.config,
          size: config.data.length,
          digest: config.digest
        },
        layers: [
          {
            mediaType: MEDIA_TYPES.layer,
            size: layer.data.length,
            digest: layer.digest
          }
        ]
      })
    )
  )
  return { layer, config, manifest }
}
