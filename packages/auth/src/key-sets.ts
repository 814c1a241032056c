import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

/** For the user service itself, which holds its public keys in memory. */
export const localKeySet = (jwks: JSONWebKeySet): JWTVerifyGetKey => createLocalJWKSet(jwks);

/** For every other service: the user service's JWKS, cached, refetched when an unknown `kid` appears. */
export const remoteKeySet = (url: string): JWTVerifyGetKey =>
  createRemoteJWKSet(new URL(url), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: 30_000,
    timeoutDuration: 2_000,
  });
