import { adminFirst, authPlugin, isAdmin, type TokenVerifier } from "@ecom/auth";
import { errorBodySchema } from "@ecom/errors";
import {
  cacheableJson,
  conditionalReadHeaders,
  noContent,
  notModified,
  type SharedCachePolicy,
  withCacheHeaders,
} from "@ecom/service-kit";
import { Elysia } from "elysia";
import { planList } from "../repository/list-filter.ts";
import type { ProductRepository } from "../repository/products.ts";
import {
  createProductBody,
  listProductsQuery,
  patchProductBody,
  productIdParams,
  productList,
  productView,
  stockDeltaBody,
} from "../schemas/product.ts";
import { openapiParameters, parseQuery } from "./query-params.ts";

/** What every admin write can answer besides its own outcomes. */
const adminFailures = { 401: errorBodySchema, 403: errorBodySchema, 503: errorBodySchema };
/** A write that changes one product and returns it: PATCH of its fields or of its stock. */
const productChanged = { 200: productView, 400: errorBodySchema, 404: errorBodySchema, ...adminFailures };
const adminOnly = { security: [{ bearer: [] }], tags: ["products"] };
const cachingNote =
  " Answers carry a strong `ETag`; `If-None-Match` with it answers 304 without a body. Anonymous answers are `public` for `max-age` plus `stale-while-revalidate` seconds; with an Authorization header they are `private, no-store`. Each replica also serves reads from memory for up to `CATALOG_READ_CACHE_TTL_MS` (1 s by default): its own writes show at once, another replica's (stock taken by orders there included) within that time.";

/** The public catalog: reads for anyone (cacheable, conditional), writes for admins. */
export function productRoutes(deps: {
  repository: ProductRepository;
  verifier: TokenVerifier;
  cachePolicy: SharedCachePolicy;
}) {
  const { repository } = deps;
  const cacheable = cacheableJson(deps.cachePolicy);
  return new Elysia({ name: "product-routes", prefix: "/api/products" })
    .use(authPlugin(deps.verifier))
    .get(
      "",
      async ({ request, optionalPrincipal }) => {
        const query = parseQuery(listProductsQuery, request.url);
        const principal = await optionalPrincipal();
        const plan = planList(query, { canSeeInactive: principal !== undefined && isAdmin(principal) });
        const { items, total } = await repository.list(plan);
        return { items, page: plan.page, limit: plan.limit, total };
      },
      {
        mapResponse: cacheable,
        response: {
          200: withCacheHeaders(productList),
          304: notModified,
          400: errorBodySchema,
          503: errorBodySchema,
        },
        detail: {
          summary: "List and search products",
          description: `Active products only, unless an admin sends \`includeInactive=true\`. \`q\` matches name or description (case-insensitive substring); \`tags=a,b\` requires every tag.${cachingNote}`,
          tags: ["products"],
          // Listed by hand: the query is read from the URL (parseQuery), and a `headers` schema would make the
          // generator replace these with the header alone.
          parameters: [
            ...openapiParameters(listProductsQuery),
            ...openapiParameters(conditionalReadHeaders, "header"),
          ],
        },
      },
    )
    .get(
      "/:id",
      async ({ params, optionalPrincipal }) => {
        const principal = await optionalPrincipal();
        return repository.get(params.id, { includeInactive: principal !== undefined && isAdmin(principal) });
      },
      {
        params: productIdParams,
        headers: conditionalReadHeaders,
        mapResponse: cacheable,
        response: {
          200: withCacheHeaders(productView),
          304: notModified,
          404: errorBodySchema,
          503: errorBodySchema,
        },
        detail: {
          summary: "Get one product",
          description: `Inactive products are visible to admins only.${cachingNote}`,
          tags: ["products"],
        },
      },
    )
    .post(
      "",
      async ({ body, set }) => {
        set.status = 201;
        return repository.create(body);
      },
      {
        transform: adminFirst,
        body: createProductBody,
        response: { 201: productView, 400: errorBodySchema, ...adminFailures },
        detail: { summary: "Create a product", ...adminOnly },
      },
    )
    .patch(
      "/:id",
      async ({ params, body }) => {
        return repository.patch(params.id, body);
      },
      {
        transform: adminFirst,
        params: productIdParams,
        body: patchProductBody,
        response: productChanged,
        detail: {
          summary: "Change a product",
          description: "Any subset of the create fields except `stock`, which changes only through /stock.",
          ...adminOnly,
        },
      },
    )
    .delete(
      "/:id",
      async ({ params, set }) => {
        await repository.deactivate(params.id);
        set.status = 204;
      },
      {
        transform: adminFirst,
        params: productIdParams,
        response: { 204: noContent, 404: errorBodySchema, ...adminFailures },
        detail: {
          summary: "Deactivate a product",
          description: "Soft delete: the product becomes inactive; orders keep its name and price.",
          ...adminOnly,
        },
      },
    )
    .patch(
      "/:id/stock",
      async ({ params, body }) => {
        return repository.adjustStock(params.id, body.quantity);
      },
      {
        transform: adminFirst,
        params: productIdParams,
        body: stockDeltaBody,
        response: productChanged,
        detail: {
          summary: "Add or remove stock",
          description:
            "`quantity` is a signed delta applied atomically. A result below zero is refused with 400 INSUFFICIENT_STOCK.",
          ...adminOnly,
        },
      },
    );
}
