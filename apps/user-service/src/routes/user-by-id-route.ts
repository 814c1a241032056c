import { requireSelfOrAdmin } from "@ecom/auth";
import { errorBodySchema, NotFoundError } from "@ecom/errors";
import { bearerSecurity, routeGroup } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { UserTables } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import { userSchema } from "../schemas/user.ts";
import { toUserView } from "../views/user-view.ts";

const uuid = z.uuid();

/** One user by id: that user themselves, or an admin. */
export function userByIdRoute(deps: { db: Kysely<UserTables> }) {
  const users = createUserRepository(deps.db);

  return routeGroup("/api/users").get(
    "/:id",
    async ({ authenticate, params }) => {
      // Permission first: a customer learns nothing about which other ids exist.
      requireSelfOrAdmin(await authenticate(), params.id);
      // An id that is not a UUID cannot name a user, so it is simply not found.
      const user = uuid.safeParse(params.id).success ? await users.findById(params.id) : undefined;
      if (!user) throw new NotFoundError("No such user");
      return toUserView(user);
    },
    {
      response: {
        200: userSchema,
        401: errorBodySchema,
        403: errorBodySchema,
        404: errorBodySchema,
        503: errorBodySchema,
      },
      detail: {
        summary: "A user by id (self or admin)",
        description: "Another customer's id gives 403; an unknown id gives 404.",
        tags: ["Admin"],
        security: bearerSecurity,
      },
    },
  );
}
