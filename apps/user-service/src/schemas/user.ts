import { z } from "zod";

export const roleSchema = z.enum(["customer", "admin"]);
export type Role = z.infer<typeof roleSchema>;

export const emailSchema = z.string().trim().pipe(z.email("must be an email address").max(254));
export const passwordSchema = z.string().min(8, "must be at least 8 characters").max(256);
export const nameSchema = z.string().trim().min(1).max(100);
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{3,32}$/, "digits, spaces, and + - ( ) only, 3 to 32 characters");

/** The user as every client sees it: never a password hash. */
export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string().nullable(),
  role: roleSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type User = z.infer<typeof userSchema>;

/** What other services may know about a user (internal tRPC): enough to check they exist and are active. */
export const internalUserSchema = userSchema
  .pick({ id: true, email: true, firstName: true, lastName: true, role: true })
  .extend({ isActive: z.boolean() });
export const userIdInput = z.object({ id: z.uuid() });
