import type { K8sObject } from "./kustomize.ts";

/** A pod as NetworkPolicies see it: its namespace's labels and its own. */
export type Endpoint = { namespace: string; labels: Record<string, string> };
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: unknown };
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: unknown };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { protocol?: string; port?: number | string }[] };

function matches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (selector?.matchExpressions !== undefined) throw new Error("matchExpressions is not evaluated here");
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock !== undefined) throw new Error("ipBlock is not evaluated here");
  const namespaceLabels = { "kubernetes.io/metadata.name": other.namespace };
  const inNamespace = peer.namespaceSelector
    ? matches(peer.namespaceSelector, namespaceLabels)
    : other.namespace === policyNamespace;
  return inNamespace && matches(peer.podSelector, other.labels);
}

function ruleAllows(
  rule: Rule,
  peers: Peer[] | undefined,
  ns: string,
  other: Endpoint,
  port: number,
  protocol: string,
) {
  const peerOk = peers === undefined || peers.some((p) => peerMatches(p, ns, other));
  const portOk =
    rule.ports === undefined || rule.ports.some((p) => (p.protocol ?? "TCP") === protocol && p.port === port);
  return peerOk && portOk;
}

/**
 * Whether a connection from `source` to `target:port` is allowed by the given policies, following the
 * NetworkPolicy semantics: a pod selected by no policy of a direction is open in that direction;
 * otherwise some rule of a selecting policy must allow the peer and the port, on both ends.
 */
export function allowed(
  policies: K8sObject[],
  source: Endpoint,
  target: Endpoint,
  port: number,
  protocol = "TCP",
): boolean {
  const selecting = (pod: Endpoint, type: "Ingress" | "Egress") =>
    policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        (p.spec.policyTypes ?? ["Ingress"]).includes(type) &&
        matches(p.spec.podSelector, pod.labels),
    );
  const egressPolicies = selecting(source, "Egress");
  const egressOk =
    egressPolicies.length === 0 ||
    egressPolicies.some((p) =>
      (p.spec.egress ?? []).some((r: Rule) =>
        ruleAllows(r, r.to, p.metadata.namespace!, target, port, protocol),
      ),
    );
  const ingressPolicies = selecting(target, "Ingress");
  const ingressOk =
    ingressPolicies.length === 0 ||
    ingressPolicies.some((p) =>
      (p.spec.ingress ?? []).some((r: Rule) =>
        ruleAllows(r, r.from, p.metadata.namespace!, source, port, protocol),
      ),
    );
  return egressOk && ingressOk;
}
