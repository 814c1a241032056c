import { createInternalTrpc } from "@ecom/trpc-kit";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { UserTables } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import { roleSchema } from "../schemas/user.ts";

const t = createInternalTrpc();

/** What other services may know about a user: enough to check they exist and are active. */
export const internalUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: roleSchema,
  isActive: z.boolean(),
});

/** Internal procedures (service-to-service, behind the internal credential; never routed by the gateway). */
export function createUserRouter(deps: { db: Kysely<UserTables> }) {
  const users = createUserRepository(deps.db);
  return t.router({
    getById: t.procedure
      .input(z.object({ id: z.uuid() }))
      .output(internalUserSchema.nullable())
      .query(async ({ input }) => {
        const user = await users.findById(input.id);
        if (!user) return null;
        const { id, email, firstName, lastName, role, isActive } = user;
        return { id, email, firstName, lastName, role, isActive };
      }),
  });
}

export type UserRouter = ReturnType<typeof createUserRouter>;
