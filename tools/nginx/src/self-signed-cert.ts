import { join } from "node:path";

/**
 * A throwaway certificate for localhost/127.0.0.1, made with openssl at start time so no key is
 * ever committed. Valid for one day: long enough for any run.
 */
export function makeSelfSignedCert(dir: string): { certFile: string; keyFile: string } {
  const openssl = Bun.which("openssl");
  if (!openssl) throw new Error("`openssl` not found on PATH; install it (apt-get install openssl)");
  const certFile = join(dir, "tls.crt");
  const keyFile = join(dir, "tls.key");
  const result = Bun.spawnSync(
    [
      openssl,
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (result.exitCode !== 0) throw new Error(`openssl failed: ${result.stderr.toString()}`);
  return { certFile, keyFile };
}
