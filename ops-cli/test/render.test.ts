import { describe, expect, test } from "bun:test";
import { pinningKustomization } from "../src/kube/render.ts";
import { createFakeTools } from "./support/fake-tools.ts";
import { createReleaseRoot, digestFor, SERVICE_NAMES } from "./support/release-fixture.ts";
import { runEcom } from "./support/run-ecom.ts";

describe("rendering the real overlays with the real kubectl kustomize", () => {
  for (const [environment, namespace] of [
    ["staging", "staging"],
    ["prod", "production"],
  ] as const) {
    test(`${environment}: every service image is pinned to the release digest`, async () => {
      // Only the cluster-facing calls are fakes; `kubectl kustomize` runs the real kubectl.
      const fakes = createFakeTools(["kubectl"]);
      const release = createReleaseRoot(["r1"]);
      try {
        fakes.configure({
          rules: [
            {
              tool: "kubectl",
              match: "config current-context",
              stdout: `${namespace === "staging" ? "staging" : "production"}\n`,
            },
            { tool: "kubectl", match: "get namespace production", stdout: "{}" },
            {
              tool: "kubectl",
              match: "get namespace staging",
              stdout: JSON.stringify({
                metadata: {
                  annotations: {
                    "ecom.dev/last-good-tag": "r1",
                    "ecom.dev/last-good-images": JSON.stringify(
                      Object.fromEntries(
                        SERVICE_NAMES.map((s) => [s, `ghcr.io/acme/ecom/${s}@${digestFor("r1", s)}`]),
                      ),
                    ),
                  },
                },
              }),
            },
          ],
        });
        const result = await runEcom(["deploy", environment, "--tag", "r1", "--yes"], {
          ...fakes.env,
          ECOM_ROOT: release.root,
        });
        expect(result.exitCode).toBe(0);
        const [manifest = ""] = fakes.applied();
        const images = [...manifest.matchAll(/image: (\S+)/g)].map((m) => m[1]);
        for (const s of SERVICE_NAMES) {
          expect(images).toContain(`ghcr.io/acme/ecom/${s}@${digestFor("r1", s)}`);
        }
        expect(images.filter((i) => i?.includes("/ecom/") && !i.includes("@sha256:"))).toEqual([]);
        expect(manifest).toContain(`namespace: ${namespace}`);
        expect(manifest).toContain("kind: Deployment");
      } finally {
        fakes.cleanup();
        release.cleanup();
      }
    });
  }

  test("the pinning kustomization matches the original and the overlay's renamed images", () => {
    const images = Object.fromEntries(
      SERVICE_NAMES.map((s) => [s, `ghcr.io/acme/ecom/${s}@${digestFor("r1", s)}`]),
    ) as Record<(typeof SERVICE_NAMES)[number], string>;
    const text = pinningKustomization("../overlay", images, ["registry.example.com/ecom/user-service"]);
    expect(text).toContain("  - ../overlay\n");
    expect(text).toContain("  - name: ecom/user-service\n    newName: ghcr.io/acme/ecom/user-service\n");
    expect(text).toContain(
      "  - name: registry.example.com/ecom/user-service\n    newName: ghcr.io/acme/ecom/user-service\n",
    );
    expect(text).not.toContain("name: registry.example.com/ecom/order-service");
  });
});
