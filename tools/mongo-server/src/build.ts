import { ensureMongoServerJar } from "./jar.ts";

// Prebuilds the jar (CI runs this before the tests so no test pays for the Maven build).
const started = performance.now();
const jar = await ensureMongoServerJar();
console.log(`mongo-server jar ready: ${jar} (${Math.round(performance.now() - started)} ms)`);
