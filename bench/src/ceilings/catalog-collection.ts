import mongoose from "mongoose";

/**
 * The product service's collection as the catalog ceilings read it: a schema-less model on its own
 * connection with the service's pool size. Callers leave `holdsByOrder` out, as the service's schema does.
 */
export async function openCatalogCollection(args: { url: string; dbName: string }) {
  const connection = await mongoose
    .createConnection(args.url, { dbName: args.dbName, maxPoolSize: 20, autoIndex: false })
    .asPromise();
  const products = connection.model(
    "BenchProduct",
    new mongoose.Schema({ _id: String }, { strict: false, collection: "products" }),
  );
  return { products, close: () => connection.close() };
}
