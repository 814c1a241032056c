import { join } from "node:path";

/** Where the local embedded database keeps its files: `<repo>/.data/mongo`, next to the other services' data. */
export const embeddedDataDir = join(import.meta.dir, "..", "..", "..", "..", ".data", "mongo");
