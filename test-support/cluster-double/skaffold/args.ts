/** Parsing of `skaffold build` arguments (contract item 22). */
import { unsupported } from '../io.js'

/** The parsed `skaffold build` command line. */
export interface BuildArgs {
  file: string
  fileOutput: string
  /** Undefined without --kube-context: the kubeconfig's current context. */
  kubeContext?: string
  defaultRepo?: string
  insecureRegistries: string[]
  profiles: string[]
  modules: string[]
  tag?: string
}

// User extra args the double accepts (they change nothing it simulates).
const IGNORED_BOOL_FLAGS =
  /^--(cache-artifacts|push|profile-auto-activation|interactive|update-check|detect-minikube)(=(true|false))?$/
const IGNORED_VALUE_FLAGS = new Set(['-v', '--verbosity'])

/** Parses `build ...`; anything outside the contract is an unsupported command. */
export function parseBuildArgs(args: readonly string[]): BuildArgs {
  const all = ['build', ...args]
  const parsed: Partial<BuildArgs> & {
    insecureRegistries: string[]
    profiles: string[]
    modules: string[]
  } = {
    insecureRegistries: [],
    profiles: [],
    modules: []
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined]
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = args[++i]
      if (next === undefined) throw unsupported('skaffold', all)
      return next
    }
    if (name === '-f' || name === '--filename') parsed.file = value()
    else if (name === '--file-output') parsed.fileOutput = value()
    else if (name === '--kube-context') parsed.kubeContext = value()
    else if (name === '--default-repo' || name === '-d')
      parsed.defaultRepo = value()
    else if (name === '--insecure-registry')
      parsed.insecureRegistries.push(value())
    else if (name === '-p' || name === '--profile')
      parsed.profiles.push(
        ...value()
          .split(',')
          .filter((p) => p !== '')
      )
    else if (name === '-m' || name === '--module')
      parsed.modules.push(
        ...value()
          .split(',')
          .filter((m) => m !== '')
      )
    else if (name === '-t' || name === '--tag') parsed.tag = value()
    else if (IGNORED_VALUE_FLAGS.has(name)) value()
    else if (IGNORED_BOOL_FLAGS.test(arg)) continue
    else throw unsupported('skaffold', all)
  }
  if (parsed.file === undefined || parsed.fileOutput === undefined) {
    throw unsupported('skaffold', all)
  }
  return parsed as BuildArgs
}
