export {
  addressBlock,
  canonicalAddress,
  clientAddressResolver,
  type Peer,
  type PeerSource,
  resolveClientAddress,
  socketPeer,
  type TrustedProxies,
  trustedProxies,
} from "./client-address.ts";
export { isValidHost } from "./host-header.ts";
export { type InspectedRequest, inspectRequest } from "./inspect-request.ts";
export { checkJsonShape } from "./json-shape.ts";
export { defaultRequestLimits, type RequestLimits, requestLimitsFromEnv } from "./limits.ts";
export { checkUrlText } from "./url-text.ts";
export { isValidText } from "./valid-text.ts";
