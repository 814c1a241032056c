import { createInternalTrpc } from "@ecom/trpc-kit";
import type { Kysely } from "kysely";
import type { UserTables } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import { internalUserSchema, userIdInput } from "../schemas/user.ts";

const t = createInternalTrpc();

/** Internal procedures (service-to-service, behind the internal credential; never routed by the gateway). */
export function createUserRouter(deps: { db: Kysely<UserTables> }) {
  const users = createUserRepository(deps.db);
  return t.router({
    getById: t.procedure
      .input(userIdInput)
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
