import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where .ci/install/schemathesis.sh puts its venv. */
const installDir = process.env.ECOM_SCHEMATHESIS_DIR ?? "/opt/ecom-schemathesis";
const binary = join(installDir, "venv", "bin", "schemathesis");

export type FuzzRun = {
  /** The service's own base URL; its document is read from `/openapi.json`. */
  baseUrl: string;
  /** Sent on every request, e.g. `Bearer …`; absent for an anonymous run. */
  authorization?: string;
  maxExamples: number;
  /** Upper bound for the run in seconds; schemathesis stops generating when it is spent. */
  maxSeconds: number;
  seed: number;
};

export type FuzzResult = { ok: boolean; output: string };

/**
 * Every check whose judgement holds for these services. Left out: `positive_data_acceptance` (the
 * contract answers some schema-valid requests with 400, e.g. `INSUFFICIENT_STOCK`, and trimmed text
 * of only spaces), `negative_data_rejection` (text is trimmed before its length is checked, which a
 * schema cannot state), `use_after_free` (a deleted product is deactivated, and admins still read it)
 * and `object_level_authorization` (it needs a second identity per run; the API tests cover it).
 */
export const checks = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
  "missing_required_header",
  "ignored_auth",
  "unsupported_method",
  "allow_header_conformance",
  "ensure_resource_availability",
];

/**
 * Under Python 3.11 schemathesis' coverage phase fails with an internal error; the install script uses
 * 3.12 where the machine has it and records the version, and only then is that phase left out.
 */
function phases(): string {
  const versionFile = join(installDir, "python-version");
  const python = existsSync(versionFile) ? readFileSync(versionFile, "utf8").trim() : "";
  return python === "3.11" ? "examples,fuzzing,stateful" : "examples,coverage,fuzzing,stateful";
}

export function schemathesisInstalled(): boolean {
  return existsSync(binary);
}

/** One `schemathesis run` against one service; the whole output is kept to show when it fails. */
export async function runSchemathesis(run: FuzzRun): Promise<FuzzResult> {
  const workDir = mkdtempSync(join(tmpdir(), "ecom-fuzz-"));
  const args = [
    binary,
    "run",
    `${run.baseUrl}/openapi.json`,
    "--url",
    run.baseUrl,
    "--checks",
    checks.join(","),
    "--phases",
    phases(),
    "--max-examples",
    String(run.maxExamples),
    "--max-time",
    String(run.maxSeconds),
    "--seed",
    String(run.seed),
    "--generation-database",
    "none",
    "--request-timeout",
    "20",
    "--no-color",
    "--output-truncate",
    "false",
    ...(run.authorization ? ["--header", `Authorization: ${run.authorization}`] : []),
  ];
  try {
    const proc = Bun.spawn(args, {
      cwd: workDir,
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
      env: { ...process.env, NO_COLOR: "1" },
    });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { ok: exitCode === 0, output: `${stdout}${stderr}` };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
