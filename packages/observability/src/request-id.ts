const safeId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accept a caller's id only if it is safe to echo into headers and logs. */
export function isValidRequestId(value: string | null | undefined): value is string {
  return typeof value === "string" && safeId.test(value);
}

export function newRequestId(): string {
  return crypto.randomUUID();
}
