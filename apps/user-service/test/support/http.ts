import { expect } from "bun:test";
import { errorBodySchema } from "@ecom/errors";

type Handler = { handle(request: Request): Promise<Response> };

export type Reply = { status: number; headers: Headers; body: unknown };

type Options = { body?: unknown; token?: string; headers?: Record<string, string> };

/** One in-process HTTP call; the body is parsed as JSON when there is one. */
export async function call(
  app: Handler,
  method: string,
  path: string,
  options: Options = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await app.handle(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Asserts the status, the error code and that the body has exactly the contract's error shape. */
export function expectError(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status, body: { error: { code } } });
  const parsed = errorBodySchema.parse(reply.body);
  expect(parsed.error.requestId).toBe(reply.headers.get("x-request-id") ?? "");
  return parsed.error;
}

let counter = 0;
/** A unique, valid registration body. */
export const newUser = (overrides: Record<string, unknown> = {}) => ({
  email: `user${Date.now()}-${++counter}@shop.test`,
  password: "correct-horse-1",
  firstName: "Ada",
  lastName: "Lovelace",
  ...overrides,
});

export type TokenPairBody = {
  user: { id: string; email: string; role: string };
  accessToken: string;
  refreshToken: string;
};

export async function register(app: Handler, overrides: Record<string, unknown> = {}) {
  const body = newUser(overrides);
  const reply = await call(app, "POST", "/api/users/register", { body });
  expect(reply.status).toBe(201);
  return { ...(reply.body as TokenPairBody), password: body.password, email: body.email };
}

export async function login(app: Handler, email: string, password: string) {
  const reply = await call(app, "POST", "/api/users/login", { body: { email, password } });
  expect(reply.status).toBe(200);
  return reply.body as TokenPairBody;
}
