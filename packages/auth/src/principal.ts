import { ForbiddenError } from "@ecom/errors";

export type Role = "customer" | "admin";
export type Principal = { userId: string; role: Role };

export const isAdmin = (p: Principal) => p.role === "admin";

export function requireAdmin(p: Principal): void {
  if (!isAdmin(p)) throw new ForbiddenError("Admins only");
}

export function requireSelfOrAdmin(p: Principal, userId: string): void {
  if (p.userId !== userId && !isAdmin(p)) throw new ForbiddenError();
}
