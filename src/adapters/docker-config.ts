/**
 * Finds the runner's docker config, where `docker login` and
 * docker/login-action write it: $DOCKER_CONFIG/config.json, else
 * ~/.docker/config.json (docker/cli cli/config/config.go Dir and
 * ConfigFileName). Its text stays in memory: it is never logged or saved.
 */
import * as os from 'node:os'
import * as path from 'node:path'
import { readTextIfExists } from './files.js'

export async function readRunnerDockerConfig(): Promise<
  { path: string; text: string } | undefined
> {
  const dir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker')
  const file = path.resolve(dir, 'config.json')
  const text = await readTextIfExists(file)
  return text === undefined ? undefined : { path: file, text }
}
