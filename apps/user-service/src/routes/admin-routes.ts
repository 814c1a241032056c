import { adminFirst } from "@ecom/auth";
import { errorBodySchema } from "@ecom/errors";
import { bearerSecurity, routeGroup } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import type { UserTables } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import { listUsersQuerySchema, userListSchema } from "../schemas/user-list.ts";
import { toUserView } from "../views/user-view.ts";

/** Listing every account: admins only. */
export function adminRoutes(deps: { db: Kysely<UserTables> }) {
  const users = createUserRepository(deps.db);

  return routeGroup("/api/users").get(
    "",
    async ({ query }) => {
      const { items, total } = await users.list({
        page: query.page,
        limit: query.limit,
        emailContains: query.email,
      });
      return { items: items.map(toUserView), page: query.page, limit: query.limit, total };
    },
    {
      transform: adminFirst,
      query: listUsersQuerySchema,
      response: {
        200: userListSchema,
        400: errorBodySchema,
        401: errorBodySchema,
        403: errorBodySchema,
        503: errorBodySchema,
      },
      detail: {
        summary: "List users (admin)",
        description: "Oldest first. `email` filters by a case-insensitive part of the address.",
        tags: ["Admin"],
        security: bearerSecurity,
      },
    },
  );
}
