import { ACCESS_TOKEN_ALG } from "@ecom/auth";
import { ConfigError } from "@ecom/config";
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8 } from "jose";

/** The key access tokens are signed with, and the public half other services verify them with. */
export type SigningKey = {
  kid: string;
  privateKey: CryptoKey;
  /** As published in the JWKS. */
  publicJwk: PublicJwk;
};

export type PublicJwk = { kty: string; crv: string; x: string; kid: string; alg: string; use: "sig" };

async function fromPrivateKey(privateKey: CryptoKey, kid?: string): Promise<SigningKey> {
  const { kty, crv, x } = await exportJWK(privateKey);
  if (kty !== "OKP" || crv !== "Ed25519" || !x) throw new Error("not an Ed25519 key");
  const keyId = kid ?? (await calculateJwkThumbprint({ kty, crv, x }));
  return {
    kid: keyId,
    privateKey,
    publicJwk: { kty, crv, x, kid: keyId, alg: ACCESS_TOKEN_ALG, use: "sig" },
  };
}

/** Reads an Ed25519 PKCS8 PEM; anything else is a configuration error naming the variable. */
export async function signingKeyFromPem(pem: string, kid?: string): Promise<SigningKey> {
  try {
    // One-line env files often carry the PEM with literal "\n" sequences.
    const privateKey = await importPKCS8(pem.replaceAll("\\n", "\n").trim(), ACCESS_TOKEN_ALG, {
      extractable: true,
    });
    return await fromPrivateKey(privateKey, kid);
  } catch {
    throw new ConfigError(
      "Invalid environment variable JWT_PRIVATE_KEY: not an Ed25519 private key in PKCS8 PEM",
    );
  }
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { crv: "Ed25519", extractable: true });
  return fromPrivateKey(privateKey);
}

export const signingKeyToPem = (key: SigningKey): Promise<string> => exportPKCS8(key.privateKey);
