import { z } from "zod";
import { nameSchema, phoneSchema } from "./user.ts";

/** What a user may change about themselves; `phone: null` removes it. Email and role are not here. */
export const updateProfileBodySchema = z
  .object({
    firstName: nameSchema.optional(),
    lastName: nameSchema.optional(),
    phone: phoneSchema.nullable().optional(),
  })
  .strict();
export type ProfileUpdate = z.infer<typeof updateProfileBodySchema>;
