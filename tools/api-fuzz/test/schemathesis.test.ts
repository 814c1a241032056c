import { afterAll, beforeAll, expect, test } from "bun:test";
import { api, login, newCustomer } from "@ecom/e2e/support/client";
import { type E2eSystem, type ServiceName, serviceNames, startSystem } from "@ecom/e2e/support/system";
import { runSchemathesis, schemathesisInstalled } from "../src/schemathesis.ts";

/**
 * Schemathesis against each service's own port and its own OpenAPI document, as an anonymous caller,
 * a customer and the admin: every answer must be in the document (status, content type, schema,
 * error body), none may be a 5xx, and invalid input must be refused. The budget is per run.
 */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 8);
const MAX_SECONDS = Number(process.env.FUZZ_MAX_SECONDS ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);

/** "N generated, N found N unique failures … in N s": what a run did, also when it passed. */
const summary = (output: string) =>
  [/Test cases:\s*\n\s*(.+)/.exec(output)?.[1], /=+ (.+ in [\d.]+s) =+\s*$/m.exec(output)?.[1]]
    .filter(Boolean)
    .join("; ");

let system: E2eSystem;
const tokens: Record<"anonymous" | "customer" | "admin", string | undefined> = {
  anonymous: undefined,
  customer: undefined,
  admin: undefined,
};

beforeAll(async () => {
  if (!schemathesisInstalled()) throw new Error("schemathesis is missing: run .ci/install/schemathesis.sh");
  system = await startSystem({ instances: 1 });
  const users = api(system.services.users[0]!.baseUrl);
  tokens.customer = (await newCustomer(users)).accessToken;
  tokens.admin = (await login(users, system.admin.email, system.admin.password)).accessToken;
});

afterAll(async () => {
  await system?.stop();
});

/** The three identities of one service run side by side: each run is bounded by its own time budget. */
test.each(serviceNames)("%s service as anonymous, customer and admin", async (service: ServiceName) => {
  const runs = await Promise.all(
    (Object.keys(tokens) as (keyof typeof tokens)[]).map(async (who) => {
      const token = tokens[who];
      const result = await runSchemathesis({
        baseUrl: system.services[service][0]!.baseUrl,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        maxExamples: MAX_EXAMPLES,
        maxSeconds: MAX_SECONDS,
        seed: SEED,
      });
      return { who, ...result };
    }),
  );
  for (const run of runs) console.log(`schemathesis on ${service} as ${run.who}: ${summary(run.output)}`);
  for (const run of runs.filter((r) => !r.ok))
    console.log(`--- schemathesis on ${service} as ${run.who}\n${run.output}`);
  expect(runs.filter((r) => !r.ok).map((r) => r.who)).toEqual([]);
});
