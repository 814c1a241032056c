/** What one request may carry before it is refused unread, unparsed and unvalidated. */
export type RequestLimits = {
  /** Largest body in bytes; larger ones get 413 without being read past the limit. */
  maxBodyBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body. */
  maxJsonDepth: number;
  /** Most values (array items, object members, containers) in one JSON body. */
  maxJsonValues: number;
  /** Most parameters in a query string. */
  maxQueryParams: number;
};

export const defaultRequestLimits: RequestLimits = {
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 32,
  maxJsonValues: 10_000,
  maxQueryParams: 64,
};

/** The limits from the variables every service and the gateway read (@ecom/config's commonEnv). */
export function requestLimitsFromEnv(env: {
  MAX_BODY_BYTES: number;
  MAX_JSON_DEPTH: number;
  MAX_JSON_VALUES: number;
  MAX_QUERY_PARAMS: number;
}): RequestLimits {
  return {
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxJsonDepth: env.MAX_JSON_DEPTH,
    maxJsonValues: env.MAX_JSON_VALUES,
    maxQueryParams: env.MAX_QUERY_PARAMS,
  };
}
