// biome-ignore lint/suspicious/noExplicitAny: wraps methods of any signature
type AsyncMethods = Record<string, (...args: any[]) => Promise<unknown>>;

/** Wraps every method of a repository so its database failures are translated in one place. */
export function withErrorTranslation<T extends AsyncMethods>(
  repository: T,
  translate: (error: unknown) => unknown,
): T {
  const wrapped: AsyncMethods = {};
  for (const [name, method] of Object.entries(repository)) {
    wrapped[name] = (...args) =>
      method(...args).catch((error: unknown) => {
        throw translate(error);
      });
  }
  return wrapped as T;
}
