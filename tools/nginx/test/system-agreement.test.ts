import { describe, expect, test } from "bun:test";
import { type ServiceSpec, services } from "@ecom/system";
import { type Instances, type NginxSettings, renderNginxConfig } from "../src/render-config.ts";
import { sampleSettings } from "./sample-settings.ts";

/**
 * The local edge routes what `@ecom/system` says is public, and nothing else: a prefix or a service
 * added, renamed or moved in topology.ts without nginx.conf.template following fails here.
 */
const byService = <T>(value: (s: ServiceSpec) => T) =>
  Object.fromEntries(services.map((s) => [s.key, value(s)]));

// One instance per service at its own port, so a rendered upstream shows whose instances it holds.
const settings = sampleSettings(byService((s) => [`127.0.0.1:${s.port}`]) as Instances);
// Rendered, not the raw template: placeholders hold braces. Without internal ports, every location is public.
const conf = renderNginxConfig(settings);

/** nginx names a service's upstream with underscores: `user-service` → `user_service`. */
const upstreamOf = (s: ServiceSpec) => s.name.replaceAll("-", "_");

/** `directive ARGS {` … up to the first line holding only `}` (the template's layout; bodies hold JSON braces). */
function blocks(text: string, directive: "upstream" | "location") {
  const pattern = new RegExp(`^\\s*${directive}\\s+([^{\\n]+?)\\s*\\{\\n([\\s\\S]*?)\\n\\s*\\}\\s*$`, "gm");
  return [...text.matchAll(pattern)].map((m) => ({ args: m[1] as string, body: m[2] as string }));
}

const proxied = blocks(conf, "location").flatMap(({ args, body }) => {
  const target = /proxy_pass\s+http:\/\/(\w+)\s*;/.exec(body)?.[1];
  return target ? [{ path: args.replace(/^=\s*/, ""), exact: args.startsWith("="), target }] : [];
});

describe("nginx.conf.template agrees with @ecom/system", () => {
  test("one upstream per service, named after it, holding that service's instances", () => {
    const upstreams = blocks(conf, "upstream").map((u) => ({
      name: u.args,
      servers: [...u.body.matchAll(/^\s*server\s+(\S+)/gm)].map((m) => m[1]),
    }));
    expect(upstreams.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      services
        .map((s) => ({ name: upstreamOf(s), servers: [`127.0.0.1:${s.port}`] }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  test("every public prefix is routed, exactly and below it, to its service's upstream", () => {
    for (const s of services) {
      expect(proxied).toContainEqual({ path: s.publicPrefix, exact: true, target: upstreamOf(s) });
      expect(proxied).toContainEqual({ path: `${s.publicPrefix}/`, exact: false, target: upstreamOf(s) });
    }
  });

  test("nothing outside the public prefixes is proxied, and nothing below one goes to another service", () => {
    for (const location of proxied) {
      const owner = services.find(
        (s) => location.path === s.publicPrefix || location.path.startsWith(`${s.publicPrefix}/`),
      );
      expect({ ...location, owner: owner && upstreamOf(owner) }).toEqual({
        ...location,
        owner: location.target,
      });
    }
  });

  test("each service's internal port forwards to that service's upstream", () => {
    const internalPorts = byService((s) => s.port + 6000) as NonNullable<NginxSettings["internalPorts"]>;
    const withInternal = renderNginxConfig({ ...settings, internalPorts });
    for (const s of services) {
      const forward = new RegExp(
        `listen 127\\.0\\.0\\.1:${s.port + 6000};\\s*location / \\{\\s*proxy_pass http://(\\w+);`,
      );
      expect(forward.exec(withInternal)?.[1]).toBe(upstreamOf(s));
    }
  });
});
