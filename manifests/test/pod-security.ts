/**
 * The Pod Security Standards "restricted" profile (the admission controller's checks, as documented for
 * Kubernetes 1.30), applied to a pod spec. Returns one line per violation.
 */
const allowedVolumeTypes = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

type SecurityContext = {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string };
};
type Container = { name: string; securityContext?: SecurityContext; ports?: { hostPort?: number }[] };
type PodSpec = {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Record<string, unknown>[];
};

export function restrictedViolations(pod: PodSpec): string[] {
  const problems: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push("host namespaces");
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !allowedVolumeTypes.has(type)) problems.push(`volume ${String(v.name)} of type ${type}`);
  }
  const podContext = pod.securityContext ?? {};
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged) problems.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation not false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${at}: capabilities not dropped`);
    if ((sc.capabilities?.add ?? []).some((cap) => cap !== "NET_BIND_SERVICE"))
      problems.push(`${at}: adds capabilities`);
    if ((sc.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot not true`);
    if ((sc.runAsUser ?? podContext.runAsUser) === 0) problems.push(`${at}: runAsUser 0`);
    const seccomp = (sc.seccompProfile ?? podContext.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${at}: seccomp ${seccomp}`);
    if ((c.ports ?? []).some((p) => p.hostPort)) problems.push(`${at}: hostPort`);
  }
  return problems;
}
