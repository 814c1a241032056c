export { adminFirst, signedIn } from "./auth-first.ts";
export { authPlugin } from "./auth-plugin.ts";
export { localKeySet, remoteKeySet } from "./key-sets.ts";
export { isAdmin, type Principal, type Role, requireAdmin, requireSelfOrAdmin } from "./principal.ts";
export { isValidServiceToken, SERVICE_TOKEN_HEADER } from "./service-token.ts";
export { ACCESS_TOKEN_ALG, createTokenVerifier, type TokenVerifier } from "./token-verifier.ts";
