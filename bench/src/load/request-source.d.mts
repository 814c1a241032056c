import type { RequestVariant } from "./load-spec.ts";

/** What autocannon's `setupRequest` gets and returns (only the parts the bench sets). */
export type BuiltRequest = { method: string; path: string; headers: Record<string, string>; body?: string };
export type RequestContext = Record<string, unknown>;

/** One connection's autocannon request entry. */
export type RequestEntry = {
  setupRequest: (defaults: object, context: RequestContext) => BuiltRequest;
  onResponse?: (
    status: number,
    body: string,
    context: RequestContext,
    headers: Record<string, string | string[]>,
  ) => void;
};

export function createRequestSource(requests: RequestVariant[]): {
  entry: (etags: Map<string, string> | undefined) => RequestEntry;
  /** Responses so far to requests that carried `If-None-Match`. */
  conditional: () => number;
};
