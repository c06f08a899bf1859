/**
 * fast-check settings shared by the property suites. A run uses a fixed seed
 * so that CI is repeatable and a failure can be replayed; `FC_SEED=random`
 * explores new inputs (fast-check prints the seed of any counterexample),
 * and `FC_SEED=<n>` replays one.
 */
import fc from 'fast-check'

const FIXED_SEED = 20261129

export function configureProperties(
  env: NodeJS.ProcessEnv = process.env
): void {
  const wanted = env.FC_SEED ?? ''
  if (wanted === 'random') return
  const seed = wanted === '' ? FIXED_SEED : Number(wanted)
  if (!Number.isInteger(seed))
    throw new Error(`FC_SEED must be an integer or "random", not ${wanted}`)
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed })
}
