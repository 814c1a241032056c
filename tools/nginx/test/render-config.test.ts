import { describe, expect, test } from "bun:test";
import { renderNginxConfig, retryAfterSeconds } from "../src/render-config.ts";
import { sampleSettings } from "./sample-settings.ts";

const settings = sampleSettings({
  users: ["127.0.0.1:1", "127.0.0.1:2"],
  products: ["127.0.0.1:3"],
  orders: ["127.0.0.1:4"],
});

describe("renderNginxConfig", () => {
  test("fills every placeholder and lists each instance with its passive health check", () => {
    const conf = renderNginxConfig(settings);
    expect(conf).not.toContain("{{");
    expect(conf).toContain("server 127.0.0.1:2 max_fails=1 fail_timeout=10s;");
    expect(conf).toContain("listen 127.0.0.1:8443 ssl;");
    expect(conf).toContain("proxy_next_upstream error timeout;");
    expect(conf).not.toMatch(/proxy_next_upstream [^;]*non_idempotent/);
    expect(conf).not.toContain("user root;");
    expect(conf).not.toContain("listen 127.0.0.1:9");
  });

  test("internal plain-HTTP ports forward everything to all instances", () => {
    const conf = renderNginxConfig({
      ...settings,
      runAsRoot: true,
      internalPorts: { users: 9001, products: 9002, orders: 9003 },
    });
    expect(conf).toContain("user root;");
    expect(conf).toContain("listen 127.0.0.1:9002;");
  });

  test("a service without instances is refused", () => {
    expect(() =>
      renderNginxConfig({ ...settings, instances: { ...settings.instances, orders: [] } }),
    ).toThrow();
  });

  test("Retry-After follows the login rate", () => {
    expect(retryAfterSeconds("30r/m")).toBe(2);
    expect(retryAfterSeconds("5r/s")).toBe(1);
    expect(() => retryAfterSeconds("fast")).toThrow();
  });
});
