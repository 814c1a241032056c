import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@ecom/observability";
import { find, manifestsDir, render } from "./kustomize.ts";

/** Fluent Bit's classic configuration: [SECTION] headers followed by `Key Value` lines. */
function parseFluentBit(text: string): { section: string; entries: Record<string, string> }[] {
  const sections: { section: string; entries: Record<string, string> }[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = line.match(/^\[(\w+)\]$/);
    if (header) {
      sections.push({ section: header[1]!, entries: {} });
      continue;
    }
    const [key = "", ...value] = line.split(/\s+/);
    const current = sections.at(-1);
    if (!current) throw new Error(`${line} outside a section`);
    current.entries[key] = value.join(" ");
  }
  return sections;
}

const config = parseFluentBit(
  readFileSync(join(manifestsDir, "observability", "logging", "fluent-bit", "fluent-bit.conf"), "utf8"),
);
const section = (kind: string, name: string) => {
  const found = config.find((s) => s.section === kind && s.entries.Name === name);
  if (!found) throw new Error(`no [${kind}] ${name}`);
  return found.entries;
};

describe("log shipping", () => {
  test("the services write one JSON object per line with ECS fields", () => {
    const lines: string[] = [];
    createLogger({ service: "order-service", sink: (l) => lines.push(l) }).info("order placed", {
      "order.id": "o-1",
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({
      "log.level": "info",
      message: "order placed",
      "service.name": "order-service",
    });
    expect(Date.parse(record["@timestamp"])).not.toBeNaN();
  });

  test("Fluent Bit tails the containers of both application namespaces and lifts their JSON", async () => {
    const tail = section("INPUT", "tail");
    const namespaces = await Promise.all(
      ["overlays/staging", "overlays/prod"].map(
        async (p) => (await render(p)).find((o) => o.kind === "Namespace")!.metadata.name,
      ),
    );
    for (const ns of namespaces) expect(tail.Path).toContain(`/var/log/containers/*_${ns}_*.log`);
    expect(tail["multiline.parser"]).toContain("cri");
    const kubernetes = section("FILTER", "kubernetes");
    expect(kubernetes).toMatchObject({ Merge_Log: "On", Keep_Log: "Off" });
    // The services' own @timestamp is kept; Fluent Bit must not add a second one.
    expect(section("OUTPUT", "es").Time_Key).not.toBe("@timestamp");
  });

  test("the output reaches the Elasticsearch Service, which accepts Fluent Bit and Kibana only", async () => {
    const objects = await render("observability");
    const es = section("OUTPUT", "es");
    const service = find(objects, "Service", "elasticsearch");
    expect(es.Host).toBe(`${service.metadata.name}.${service.metadata.namespace}.svc`);
    expect(Number(es.Port)).toBe(service.spec.ports[0].port);
    const policy = find(objects, "NetworkPolicy", "elasticsearch");
    const from = policy.spec.ingress[0].from.map(
      (p: { podSelector: { matchLabels: Record<string, string> } }) =>
        p.podSelector.matchLabels["app.kubernetes.io/name"],
    );
    expect(from.sort()).toEqual(["fluent-bit", "kibana"]);
    const kibana = find(objects, "Deployment", "kibana").spec.template.spec.containers[0];
    const hosts = kibana.env.find((e: { name: string }) => e.name === "ELASTICSEARCH_HOSTS").value;
    expect(JSON.parse(hosts)).toEqual([`http://elasticsearch:${service.spec.ports[0].port}`]);
  });

  test("the DaemonSet mounts this configuration, the node's logs read-only and a state folder", async () => {
    const objects = await render("observability");
    const ds = find(objects, "DaemonSet", "fluent-bit");
    const pod = ds.spec.template.spec;
    const mounts = pod.containers[0].volumeMounts as {
      name: string;
      mountPath: string;
      readOnly?: boolean;
    }[];
    const volume = (name: string) => pod.volumes.find((v: { name: string }) => v.name === name);
    const configMount = mounts.find((m) => m.mountPath === "/fluent-bit/etc/fluent-bit.conf")!;
    const configMap = find(objects, "ConfigMap", volume(configMount.name).configMap.name);
    expect(parseFluentBit(configMap.data["fluent-bit.conf"])).toEqual(config);
    expect(mounts.find((m) => m.mountPath === "/var/log")).toMatchObject({ readOnly: true });
    const state = mounts.find((m) => section("INPUT", "tail").DB!.startsWith(`${m.mountPath}/`));
    expect(state).toBeDefined();
    expect(volume(state!.name).hostPath).toBeDefined();
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
  });
});
