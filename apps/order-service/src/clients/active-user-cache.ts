import type { Clock } from "@ecom/service-kit";
/**
 * Remembers for a few seconds that a user was found active, so a customer placing several orders
 * asks the user service once per `ttlMs` instead of once per order. Only "active" is remembered;
 * unknown or inactive users are asked about every time. The price: a user deactivated meanwhile can
 * still place orders until their entry expires, i.e. for at most `ttlMs`. `ttlMs` 0 turns it off.
 * At most `maxEntries` users are kept (the least recently remembered go first), so memory is bounded.
 */
export type ActiveUserCache = {
  isKnownActive(userId: string): boolean;
  rememberActive(userId: string): void;
};

export function createActiveUserCache(options: {
  ttlMs: number;
  maxEntries: number;
  clock: Clock;
}): ActiveUserCache {
  const expiresAt = new Map<string, number>();
  return {
    isKnownActive(userId) {
      const until = expiresAt.get(userId);
      if (until === undefined) return false;
      if (until > options.clock.now().getTime()) return true;
      expiresAt.delete(userId);
      return false;
    },
    rememberActive(userId) {
      if (options.ttlMs <= 0) return;
      // Re-inserting moves the user to the end, so the first key is always the oldest entry.
      expiresAt.delete(userId);
      expiresAt.set(userId, options.clock.now().getTime() + options.ttlMs);
      if (expiresAt.size > options.maxEntries) {
        const oldest = expiresAt.keys().next().value;
        if (oldest !== undefined) expiresAt.delete(oldest);
      }
    },
  };
}
