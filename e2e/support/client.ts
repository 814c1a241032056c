/** A small JSON client for the public API, over nginx's self-signed HTTPS. */
export type ApiResponse<T> = { status: number; headers: Headers; body: T };
type RequestOptions = { body?: unknown; token?: string; headers?: Record<string, string> };

export type Api = {
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
};

export type User = { id: string; email: string; role: "customer" | "admin" };
export type Session = { user: User; accessToken: string; refreshToken: string };
export type Product = {
  id: string;
  name: string;
  description: string;
  price: number;
  category: string;
  stock: number;
  tags: string[];
  isActive: boolean;
};
export type Order = {
  id: string;
  userId: string;
  items: { productId: string; productName: string; quantity: number; price: number }[];
  totalAmount: number;
  status: string;
};
export type List<T> = { items: T[]; page: number; limit: number; total: number };
export type ErrorBody = { error: { code: string; message: string; details?: unknown; requestId: string } };

export function api(baseUrl: string): Api {
  return {
    async request<T>(method: string, path: string, options: RequestOptions = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        tls: { rejectUnauthorized: false },
      } as RequestInit);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: body as T };
    },
  };
}

export const shippingAddress = { line1: "1 Main Street", city: "Berlin", postalCode: "10115", country: "DE" };

/** A new customer through the public API; registering returns a session, so no login is spent. */
export async function newCustomer(client: Api, password = "correct-horse-42"): Promise<Session> {
  const email = `shopper-${crypto.randomUUID()}@example.com`;
  const registered = await client.request<Session>("POST", "/api/users/register", {
    body: { email, password, firstName: "Sam", lastName: "Shopper" },
  });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  return registered.body;
}

export async function login(client: Api, email: string, password: string): Promise<Session> {
  const res = await client.request<Session>("POST", "/api/users/login", { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body;
}

export function placeOrder(
  client: Api,
  token: string,
  items: { productId: string; quantity: number }[],
  headers: Record<string, string> = {},
) {
  return client.request<Order>("POST", "/api/orders", {
    token,
    headers,
    body: { items, shippingAddress, paymentMethod: "card" },
  });
}
