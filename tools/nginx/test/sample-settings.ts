import type { NginxSettings } from "../src/render-config.ts";

/** Settings for rendering the template in a test; the caller gives the instances it needs. */
export const sampleSettings = (instances: NginxSettings["instances"]): NginxSettings => ({
  prefix: "/tmp/x",
  listenHost: "127.0.0.1",
  port: 8443,
  certFile: "/tmp/x/tls.crt",
  keyFile: "/tmp/x/tls.key",
  instances,
  loginRate: "30r/m",
  loginBurst: 10,
  clientMaxBodySize: "1m",
  connectTimeout: "5s",
  sendTimeout: "60s",
  readTimeout: "60s",
  maxFails: 1,
  failTimeout: "10s",
  runAsRoot: false,
});
