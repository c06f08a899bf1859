/**
 * The Kubernetes objects the action puts in a kind cluster, as one manifest
 * for a single `kubectl apply -f -`: the namespaces the kaniko pods run in
 * and the local registry's KEP-1755 ConfigMap. Pure: data in, text out.
 */

/**
 * The namespaces a build needs: each cluster block's (skaffold creates the
 * kaniko pod there, and pod creation fails when it does not exist) and the
 * namespace input, without duplicates, sorted; '' means the context's own.
 */
export function buildNamespaces(
  blockNamespaces: readonly string[],
  namespaceInput: string
): string[] {
  const names = new Set(blockNamespaces.filter((ns) => ns !== ''))
  if (namespaceInput !== '') names.add(namespaceInput)
  return [...names].sort()
}

/** A v1 Namespace as one JSON document (JSON is YAML, so no quoting to get wrong). */
export function namespaceObject(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name }
  })
}

/**
 * The KEP-1755 ConfigMap that documents the local registry
 * (kubernetes/enhancements keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry).
 */
export function localRegistryHostingObject(host: string): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: local-registry-hosting',
    '  namespace: kube-public',
    'data:',
    '  localRegistryHosting.v1: |',
    `    host: "${host}"`,
    `    hostFromClusterNetwork: "${host}"`,
    '    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"'
  ].join('\n')
}

/**
 * The objects as one YAML stream, namespaces first so that kubectl, which
 * applies in stream order, creates them before anything placed in them;
 * '' when there is nothing to apply (kubectl refuses an empty stream).
 */
export function clusterManifest(objects: {
  namespaces: readonly string[]
  registryHost?: string
}): string {
  const documents = [
    ...objects.namespaces.map(namespaceObject),
    ...(objects.registryHost === undefined
      ? []
      : [localRegistryHostingObject(objects.registryHost)])
  ]
  return documents.length === 0 ? '' : `${documents.join('\n---\n')}\n`
}
