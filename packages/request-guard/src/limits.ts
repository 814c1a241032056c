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
