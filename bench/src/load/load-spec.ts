/** One request shape; `{{uuid}}` in the body is replaced by a fresh UUID on every send. */
export type RequestVariant = {
  method: "GET" | "POST" | "PATCH";
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

/** What the load process is told to do; sent to it as a JSON file. */
export type LoadSpec = {
  baseUrl: string;
  connections: number;
  durationSec: number;
  /** Sent round-robin across all connections, so many users and products are mixed. */
  requests: RequestVariant[];
  /**
   * Each connection keeps the last `ETag` it got per path, as one browser's cache would, and sends it
   * back as `If-None-Match`; a path answered without one is asked again plainly.
   */
  revalidate?: boolean;
  /** Where the load process writes every response time (Float64, milliseconds). */
  latencyFile: string;
};

/** What the load process prints as one JSON line when it is done. */
export type LoadOutput = {
  durationSec: number;
  responses: number;
  statusCodes: Record<string, number>;
  /** Socket errors and timeouts: requests that got no response at all. */
  errors: number;
  timeouts: number;
  /** Responses to requests that carried `If-None-Match` (0 unless `revalidate`, or when no ETag came). */
  conditional: number;
  /** CPU seconds the load generator itself used (shows when it, not the server, is the limit). */
  generatorCpuSeconds: number;
};
