import { initTRPC } from "@trpc/server";

/** What every internal procedure can use: the caller's request id and a logger bound to it. */
export type InternalContext = {
  requestId: string;
  log: {
    info(m: string, f?: Record<string, unknown>): void;
    warn(m: string, f?: Record<string, unknown>): void;
  };
};

export function createInternalTrpc() {
  return initTRPC.context<InternalContext>().create({
    errorFormatter: ({ shape, error }) => ({
      ...shape,
      // Internal callers get the message and code, never a stack.
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        cause: error.cause?.message,
      },
    }),
  });
}
