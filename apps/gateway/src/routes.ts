/** One public prefix per service; the path is passed on unchanged (the services own `/api/<resource>`). */
export type Upstream = { name: "users" | "products" | "orders"; service: string; baseUrl: string };

export type UpstreamUrls = { users: string; products: string; orders: string };

export function upstreamTable(urls: UpstreamUrls): Upstream[] {
  return [
    { name: "users", service: "user-service", baseUrl: urls.users },
    { name: "products", service: "product-service", baseUrl: urls.products },
    { name: "orders", service: "order-service", baseUrl: urls.orders },
  ];
}

/** `/api/users` and `/api/users/...` match; `/api/usersX`, `/trpc/...` and `/metrics` do not. */
export function matchUpstream(table: Upstream[], pathname: string): Upstream | undefined {
  return table.find((u) => {
    const prefix = `/api/${u.name}`;
    return pathname === prefix || pathname.startsWith(`${prefix}/`);
  });
}
