import { DependencyUnavailableError, ValidationFailedError, withErrorTranslation } from "@ecom/errors";
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

export const withDbErrors = <T extends Parameters<typeof withErrorTranslation>[0]>(repository: T): T =>
  withErrorTranslation(repository, translateDbError);

/** MongoDB's duplicate-key error: the document with that `_id` already exists. */
export const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
