import { z } from "zod";
import { emailSchema, nameSchema, passwordSchema, phoneSchema, userSchema } from "./user.ts";

/** `.strict()`: a client cannot slip in `role`, `id` or timestamps. */
export const registerBodySchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    firstName: nameSchema,
    lastName: nameSchema,
    phone: phoneSchema.optional(),
  })
  .strict();

/** No password policy here: login must not tell which rule a guess broke. */
export const loginBodySchema = z
  .object({
    email: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(256),
  })
  .strict();

export const refreshTokenBodySchema = z.object({ refreshToken: z.string().min(1).max(128) }).strict();

export const tokenPairSchema = z.object({
  user: userSchema,
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal("Bearer"),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;
