import { z } from "zod";

/** The one error shape of the API contract, for the docs. */
export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        details: z.unknown().optional(),
        requestId: z.string(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "Error" });
