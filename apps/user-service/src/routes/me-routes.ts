import { signedIn } from "@ecom/auth";
import { errorBodySchema, UnauthorizedError } from "@ecom/errors";
import type { Clock } from "@ecom/service-kit";
import { bearerSecurity, routeGroup } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import type { UserTables } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import { updateProfileBodySchema } from "../schemas/profile.ts";
import { userSchema } from "../schemas/user.ts";
import { toUserView } from "../views/user-view.ts";

/** A valid token whose user is gone or disabled is no longer good for anything. */
const noLongerValid = () => new UnauthorizedError("This account no longer exists or is disabled");

/** The caller's own profile. */
export function meRoutes(deps: { db: Kysely<UserTables>; clock: Clock }) {
  const users = createUserRepository(deps.db);

  return routeGroup("/api/users")
    .get(
      "/me",
      async ({ authenticate }) => {
        const { userId } = await authenticate();
        const user = await users.findById(userId);
        if (!user?.isActive) throw noLongerValid();
        return toUserView(user);
      },
      {
        response: { 200: userSchema, 401: errorBodySchema, 503: errorBodySchema },
        detail: { summary: "The caller's profile", tags: ["Profile"], security: bearerSecurity },
      },
    )
    .patch(
      "/me",
      async ({ authenticate, body }) => {
        const { userId } = await authenticate();
        const current = await users.findById(userId);
        if (!current?.isActive) throw noLongerValid();
        // An empty patch changes nothing, not even updatedAt.
        if (Object.keys(body).length === 0) return toUserView(current);
        const updated = await users.updateProfile(userId, body, deps.clock.now());
        if (!updated) throw noLongerValid();
        return toUserView(updated);
      },
      {
        transform: signedIn,
        body: updateProfileBodySchema,
        response: { 200: userSchema, 400: errorBodySchema, 401: errorBodySchema, 503: errorBodySchema },
        detail: {
          summary: "Change the caller's name or phone",
          description:
            "Only `firstName`, `lastName` and `phone` (null removes it); any other field is a 400.",
          tags: ["Profile"],
          security: bearerSecurity,
        },
      },
    );
}
