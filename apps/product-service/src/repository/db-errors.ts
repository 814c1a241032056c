import { DependencyUnavailableError, ValidationFailedError } from "@ecom/errors";
import mongoose from "mongoose";

const { mongo } = mongoose;
const unavailable = [
  mongo.MongoNetworkError,
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
];

/** A lost database becomes the contract's 503; anything else keeps its own meaning. */
export function translateDbError(error: unknown): unknown {
  if (
    unavailable.some((kind) => error instanceof kind) ||
    (error as Error)?.name === "MongooseServerSelectionError"
  )
    return new DependencyUnavailableError("products database");
  if (error instanceof mongoose.Error.ValidationError)
    return new ValidationFailedError(
      "Product is invalid",
      Object.values(error.errors).map((e) => ({ path: e.path, message: e.message })),
    );
  return error;
}

// biome-ignore lint/suspicious/noExplicitAny: wraps functions of any signature
type AsyncMethods = Record<string, (...args: any[]) => Promise<unknown>>;

/** Wraps every method of a repository so its database failures are translated in one place. */
export function withDbErrors<T extends AsyncMethods>(repository: T): T {
  const wrapped: AsyncMethods = {};
  for (const [name, method] of Object.entries(repository)) {
    wrapped[name] = (...args) =>
      method(...args).catch((error: unknown) => {
        throw translateDbError(error);
      });
  }
  return wrapped as T;
}

/** MongoDB's duplicate-key error: the document with that `_id` already exists. */
export const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
