import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@ecom/config";
import { generateSigningKey, type SigningKey, signingKeyFromPem, signingKeyToPem } from "./signing-key.ts";

type Options = {
  privateKeyPem?: string;
  keyId?: string;
  nodeEnv: "development" | "test" | "production";
  /** Where a local run keeps its generated key (git-ignored `.data`). */
  dataDir: string;
};

const KEY_FILE = "jwt-signing-key.json";

/**
 * The configured key when JWT_PRIVATE_KEY is set. Outside production a key is generated once and
 * kept on disk, so tokens survive `bun --watch` restarts; production never generates one.
 */
export async function loadSigningKey(options: Options): Promise<SigningKey> {
  if (options.privateKeyPem) return signingKeyFromPem(options.privateKeyPem, options.keyId);
  if (options.nodeEnv === "production") {
    throw new ConfigError("Invalid environment variable JWT_PRIVATE_KEY: is required in production");
  }
  const file = join(options.dataDir, KEY_FILE);
  const stored = readStored(file);
  if (stored) return signingKeyFromPem(stored.privateKeyPem, stored.kid);
  const key = await generateSigningKey();
  mkdirSync(options.dataDir, { recursive: true });
  try {
    // "wx": when two local processes start together, the first key written wins and both use it.
    writeFileSync(file, JSON.stringify({ kid: key.kid, privateKeyPem: await signingKeyToPem(key) }), {
      mode: 0o600,
      flag: "wx",
    });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readStored(file);
    if (!winner) throw error;
    return signingKeyFromPem(winner.privateKeyPem, winner.kid);
  }
}

function readStored(file: string): { kid: string; privateKeyPem: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`Signing key file ${file} is unreadable; delete it to generate a new key`);
  }
}
