export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Does a real verification against a throwaway hash: an unknown email costs as much as a wrong password. */
  verifyNothing(password: string): Promise<false>;
};

/** argon2id with Bun's defaults (64 MiB, t=2): slow on purpose, hence the login rate limit. */
export const hashPassword = (password: string): Promise<string> =>
  Bun.password.hash(password, { algorithm: "argon2id" });

export function createPasswordHasher(): PasswordHasher {
  const hash = hashPassword;
  // Computed up front so the first unknown-email login is not slower (and so distinguishable).
  const dummy = hash(crypto.randomUUID());
  return {
    hash,
    verify: (password, stored) => Bun.password.verify(password, stored),
    async verifyNothing(password) {
      await Bun.password.verify(password, await dummy);
      return false;
    },
  };
}
