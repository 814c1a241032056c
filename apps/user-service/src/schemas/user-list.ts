import { z } from "zod";
import { userSchema } from "./user.ts";

export const listUsersQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** Case-insensitive substring of the email. */
    email: z.string().trim().min(1).max(254).optional(),
  })
  .strict();
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const userListSchema = z.object({
  items: z.array(userSchema),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
