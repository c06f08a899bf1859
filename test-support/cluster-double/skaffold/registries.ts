/**
 * Which real registry stands for a push target. A registry container
 * (`docker run … registry:2`) on the kind network gets a real plain-HTTP
 * registry of its own, started on first use by the daemon and stopped with
 * it; hosts with a domain name are the ones the daemon was given
 * (`registries` option: an "external" registry with TLS and auth).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  startRegistry,
  type RegistryEndpoint,
  type RunningRegistry
} from '../../registry/index.js'
import { CommandError } from '../io.js'
import type { ContainerRecord } from '../state.js'
import { parseImageRef } from './images.js'
import { PERMISSION_PREFIX } from './push.js'

/** Where a container's registry endpoint is written (in its storage dir). */
const ENDPOINT_FILE = 'endpoint.json'

/** "<home>|<container>" → the registry standing for the container. */
const running = new Map<string, Promise<RunningRegistry>>()

/**
 * The port a registry:2 container listens on: REGISTRY_HTTP_ADDR when set
 * (distribution docs/configuration.md, "Overriding configuration options":
 * REGISTRY_<option> overrides the file), else 5000 (the image's config,
 * distribution/distribution-library-image config-example.yml, `addr: :5000`).
 */
function containerPort(container: ContainerRecord): string {
  const addr = container.env
    .find((e) => e.startsWith('REGISTRY_HTTP_ADDR='))
    ?.slice('REGISTRY_HTTP_ADDR='.length)
  return addr === undefined ? '5000' : (addr.split(':').pop() ?? '5000')
}

/** True for a container of the registry image (docker.io/library/registry). */
export function isRegistryContainer(container: ContainerRecord): boolean {
  return (
    parseImageRef(container.image).repository === 'docker.io/library/registry'
  )
}

/**
 * The real registry behind a registry container, started on first use.
 * Its storage lives under `<home>/registries/<name>` and outlives the
 * daemon, as a container's does until `docker rm`.
 * @throws CommandError when the push names a port the container does not listen on
 */
export async function containerRegistry(
  home: string,
  container: ContainerRecord,
  hostPort: string,
  destination: string
): Promise<RegistryEndpoint> {
  const port = containerPort(container)
  if (hostPort !== port)
    throw new CommandError(
      `${PERMISSION_PREFIX}: checking push permission for "${destination}": Get "http://${container.name}:${hostPort}/v2/": dial tcp ${container.name}:${hostPort}: connect: connection refused (the registry container listens on ${port})`
    )
  const key = `${home}|${container.name}`
  let registry = running.get(key)
  if (registry === undefined) {
    const dir = join(home, 'registries', container.name)
    registry = startRegistry({ dir }).then(async (r) => {
      await writeFile(join(dir, ENDPOINT_FILE), JSON.stringify(r.endpoint))
      return r
    })
    running.set(key, registry)
    registry.catch(() => running.delete(key))
  }
  return (await registry).endpoint
}

/**
 * The registry standing for a registry container, for tests that pull an
 * image back (undefined until a build pushed there).
 */
export async function readContainerRegistry(
  home: string,
  name: string
): Promise<RegistryEndpoint | undefined> {
  const text = await readFile(
    join(home, 'registries', name, ENDPOINT_FILE),
    'utf8'
  ).catch(() => undefined)
  return text === undefined ? undefined : (JSON.parse(text) as RegistryEndpoint)
}

/** Stops the registries standing for this daemon's containers. */
export async function stopContainerRegistries(home: string): Promise<void> {
  const mine = [...running.entries()].filter(([k]) => k.startsWith(`${home}|`))
  for (const [k] of mine) running.delete(k)
  await Promise.allSettled(
    mine.map(async ([, r]) => {
      await (await r).stop()
    })
  )
}
