import { z } from "zod";

/** The contract's one error shape, for the OpenAPI documents and for tests that check every failure. */
export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z.string().regex(/^[A-Z_]+$/),
        message: z.string().min(1),
        details: z.unknown().optional(),
        requestId: z.string().min(1),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "Error" });
