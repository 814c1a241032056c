import type { UserRecord } from "../repository/user-repository.ts";
import type { User } from "../schemas/user.ts";

/** The API's User object: what a stored user shows of itself (no hash, no active flag). */
export const toUserView = (u: UserRecord): User => ({
  id: u.id,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  phone: u.phone,
  role: u.role,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});
