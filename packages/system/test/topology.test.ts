import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { connectionEnv, gateway, jwksPath, type ServiceKey, service, services } from "../src/index.ts";

/** What every artefact built from the description relies on: no two processes collide, nothing is missing. */
const processes = [...services, gateway];
const urls = Object.fromEntries(services.map((s) => [s.key, `http://${s.name}:${s.port}`])) as Record<
  ServiceKey,
  string
>;
const unique = (values: readonly unknown[]) => new Set(values).size === values.length;

describe("the system description", () => {
  test("keys, names, ports and port variables are distinct", () => {
    for (const field of ["key", "name", "label", "port", "devPortVariable", "entry"] as const) {
      expect({ field, unique: unique(processes.map((p) => p[field])) }).toEqual({ field, unique: true });
    }
    expect(unique(services.map((s) => s.urlVariable))).toBe(true);
  });

  test("every entry file exists", () => {
    for (const p of processes)
      expect({ key: p.key, exists: existsSync(p.entry) }).toEqual({ key: p.key, exists: true });
  });

  test("public prefixes sit under /api and none lies inside another", () => {
    for (const s of services) {
      expect(s.publicPrefix).toMatch(/^\/api\/[a-z-]+$/);
      for (const other of services.filter((o) => o !== s)) {
        expect(other.publicPrefix.startsWith(`${s.publicPrefix}/`)).toBe(false);
      }
    }
    expect(jwksPath.startsWith(`${service("users").publicPrefix}/`)).toBe(true);
  });

  test("the gateway reaches every service by its URL variable", () => {
    expect(connectionEnv("gateway", urls)).toEqual(
      Object.fromEntries(services.map((s) => [s.urlVariable, urls[s.key]])),
    );
  });

  test("a process is never told where it is itself, and only reads variables of services that exist", () => {
    const variables = new Set(["JWKS_URL", ...services.map((s) => s.urlVariable)]);
    for (const s of services) {
      const env = connectionEnv(s.key, urls);
      expect(Object.keys(env)).not.toContain(s.urlVariable);
      for (const variable of Object.keys(env)) expect(variables).toContain(variable);
    }
  });

  test("service() finds each service by its key and refuses an unknown one", () => {
    for (const s of services) expect(service(s.key)).toBe(s);
    expect(() => service("carts" as ServiceKey)).toThrow("no service carts");
  });
});
