import { SERVICE_TOKEN_HEADER } from "@ecom/auth";
import { DependencyUnavailableError } from "@ecom/errors";
import {
  createTRPCClientProxy,
  httpLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
  type TRPCRequestOptions,
  TRPCUntypedClient,
} from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";

/** How one attempt ended: answered, refused with a business error, or the dependency could not answer. */
export type DependencyCallOutcome = "success" | "error" | "unavailable";

export type DependencyCall = {
  service: string;
  procedure: string;
  outcome: DependencyCallOutcome;
  seconds: number;
};

export type ServiceClientOptions = {
  /** Names the dependency in errors and metrics, e.g. "product-service". */
  name: string;
  /** Base URL of the service; procedures are served under `<url>/trpc`. */
  url: string;
  serviceToken: string;
  /** Upper bound for one attempt, connection included. */
  timeoutMs: number;
  /** Extra attempts for queries only: mutations may have taken effect before the answer was lost. */
  retries: number;
  /** First back-off delay; doubles after every failed attempt. */
  retryBaseMs?: number;
  /** Called once per attempt, so the caller's metrics see every dependency call. */
  onCall?: (call: DependencyCall) => void;
  /** Extra headers sent with every call. */
  headers?: Record<string, string>;
};

export type ServiceClient<TRouter extends AnyTRPCRouter> = {
  /** A typed client whose calls carry the caller's request id, so one id follows a request across services. */
  withRequestId(requestId: string): TRPCClient<TRouter>;
};

/**
 * A business error (bad input, not found, conflict) comes with a tRPC status below 500 and is passed
 * through; no answer at all, a timeout, a non-tRPC body or a 5xx means the dependency is unavailable.
 */
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return true;
  const status = (error.data as { httpStatus?: unknown } | undefined)?.httpStatus;
  return typeof status !== "number" || status >= 500;
}

/** Runs each call through the links once per attempt and turns transport failures into a 503. */
class DependencyClient<TRouter extends AnyTRPCRouter> extends TRPCUntypedClient<TRouter> {
  constructor(
    private readonly options: ServiceClientOptions,
    requestId: string,
  ) {
    super({
      links: [
        // The internal routers use no transformer, which the generic router type cannot prove here.
        httpLink<AnyTRPCRouter>({
          url: `${options.url.replace(/\/$/, "")}/trpc`,
          headers: () => ({
            ...options.headers,
            [SERVICE_TOKEN_HEADER]: options.serviceToken,
            "x-request-id": requestId,
          }),
          // Every attempt gets its own deadline, connection set-up included.
          fetch: (input, init) => {
            const timeout = AbortSignal.timeout(options.timeoutMs);
            const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
            return fetch(input, { ...(init as RequestInit), signal });
          },
        }) as TRPCLink<TRouter>,
      ],
    });
  }

  private async attempt(
    kind: "query" | "mutation",
    path: string,
    input: unknown,
    opts?: TRPCRequestOptions,
  ): Promise<unknown> {
    const started = performance.now();
    const report = (outcome: DependencyCallOutcome) =>
      this.options.onCall?.({
        service: this.options.name,
        procedure: path,
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
    try {
      const result =
        kind === "query" ? await super.query(path, input, opts) : await super.mutation(path, input, opts);
      report("success");
      return result;
    } catch (error) {
      if (!isUnavailable(error)) {
        report("error");
        throw error;
      }
      report("unavailable");
      throw new DependencyUnavailableError(this.options.name);
    }
  }

  override async query(path: string, input?: unknown, opts?: TRPCRequestOptions): Promise<unknown> {
    const base = this.options.retryBaseMs ?? 50;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt("query", path, input, opts);
      } catch (error) {
        if (!(error instanceof DependencyUnavailableError) || attempt >= this.options.retries) throw error;
        await Bun.sleep(base * 2 ** attempt);
      }
    }
  }

  override mutation(path: string, input?: unknown, opts?: TRPCRequestOptions): Promise<unknown> {
    return this.attempt("mutation", path, input, opts);
  }
}

/**
 * A typed tRPC client for another service's internal router: the service credential and request id
 * on every call, a deadline per attempt, retries with exponential back-off for queries, and
 * `DependencyUnavailableError` (503) when the service cannot answer.
 */
export function createServiceClient<TRouter extends AnyTRPCRouter>(
  options: ServiceClientOptions,
): ServiceClient<TRouter> {
  return {
    withRequestId: (requestId) =>
      createTRPCClientProxy<TRouter>(new DependencyClient<TRouter>(options, requestId)),
  };
}
