/** Exit codes every command uses (documented in the README and in `ecom --help`). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A check or an external step failed: exit 1. */
export class CheckFailed extends Error {
  readonly exitCode: number = EXIT.failed;
}

/** The command line was wrong (bad argument, missing setting): exit 2. */
export class UsageFailure extends Error {
  readonly exitCode: number = EXIT.usage;
}

const installHints: Record<string, string> = {
  kubectl: "apt-get install kubectl (or see the Kubernetes install docs for your OS)",
  docker: "install Docker Engine with the buildx plugin (apt-get install docker.io docker-buildx)",
  skaffold: "go install github.com/GoogleContainerTools/skaffold/v2@latest, or a release binary",
  trivy: "go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0",
  semgrep: "pip install semgrep==1.185.0 (or run .ci/install/ops.sh)",
  actionlint: "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 (or run .ci/install/ops.sh)",
  git: "apt-get install git",
  bun: "npm install -g bun@1.4.5",
  bunx: "npm install -g bun@1.4.5",
};

/** An external tool is not on PATH: exit 1, naming the tool and how to install it. */
export class MissingTool extends CheckFailed {
  constructor(readonly tool: string) {
    super(`${tool} is not installed or not on PATH. Install it: ${installHints[tool] ?? `install ${tool}`}`);
  }
}
