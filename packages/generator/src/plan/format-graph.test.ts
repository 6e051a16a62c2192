import { describe, expect, it } from "vitest";
import { escapeLabel, formatGraph } from "./format-graph.ts";
import type { PlannedLayer, PlannedSpoke } from "./spoke-view.ts";

function layer(name: string, appliesTo: "hub" | "spoke", dependsOn: string[], extra: Partial<PlannedLayer> = {}): PlannedLayer {
  return { name, appliesTo, identity: { secretRef: "cluster-kubeconfig" }, dependsOn, path: `clusters/x/${name}`, objects: [], ...extra };
}

/** A spoke like the seed's: tenants, then apps on the hub as flux-restricted, with its HelmRelease in its own namespace. */
function spoke(name: string, release = "podinfo"): PlannedSpoke {
  return {
    name,
    layers: [
      layer("tenants", "spoke", [], { objects: [{ kind: "Namespace", name: "podinfo" }] }),
      layer("apps", "hub", ["tenants"], {
        identity: { secretRef: "cluster-kubeconfig", serviceAccountName: "flux-restricted" },
        objects: [{ kind: "HelmRelease", namespace: name, name: release }],
      }),
    ],
  };
}

describe("formatGraph", () => {
  it("draws the hub, each spoke's namespace with its access, and its layers in dependsOn order", () => {
    expect(formatGraph([spoke("staging")])).toBe(
      [
        "flowchart LR",
        '  hub["hub<br/>flux-system"]',
        '  spoke_staging["staging<br/>namespace on the hub"]',
        '  hub -->|"kubeconfig Secret cluster-kubeconfig"| spoke_staging',
        '  spoke_staging_tenants["tenants<br/>on the spoke via Secret cluster-kubeconfig"]',
        '  spoke_staging_apps["apps<br/>on the hub as flux-restricted via Secret cluster-kubeconfig"]',
        "  spoke_staging --> spoke_staging_tenants",
        "  spoke_staging_tenants --> spoke_staging_apps",
        "",
      ].join("\n"),
    );
  });

  it("collapses spokes of one shape into one node with a count, and keeps a spoke of another shape apart", () => {
    const spokes = [...Array.from({ length: 498 }, (_, i) => spoke(`spoke-${String(i).padStart(4, "0")}`)), spoke("odd", "shop")];
    const graph = formatGraph(spokes);
    expect(graph).toContain('  spoke_odd["odd<br/>namespace on the hub"]\n');
    expect(graph).toContain('  spoke_spoke_0000["spoke-0000-like ×498<br/>namespace on the hub"]\n');
    expect(graph.match(/namespace on the hub/g)).toHaveLength(2);
    expect(graph).not.toContain("spoke_spoke_0001");
  });

  it("draws spokes one by one below the collapse count", () => {
    const graph = formatGraph([spoke("a"), spoke("b")]);
    expect(graph.match(/namespace on the hub/g)).toHaveLength(2);
    expect(graph).not.toContain("-like");
    expect(formatGraph([spoke("a"), spoke("b")], { collapseAt: 2 })).toContain('spoke_a["a-like ×2<br/>namespace on the hub"]');
  });

  it("tells spokes apart whose identity differs", () => {
    const other = spoke("c");
    other.layers[1]!.identity = { configMapRef: "cluster-access", serviceAccountName: "flux-restricted" };
    const graph = formatGraph([spoke("a"), spoke("b"), other, spoke("d")]);
    expect(graph).toContain('spoke_a["a-like ×3<br/>namespace on the hub"]');
    expect(graph).toContain('  spoke_c_apps["apps<br/>on the hub as flux-restricted via ConfigMap cluster-access"]');
    // Its layers do not all reach the spoke the same way: the edge from the hub has no label.
    expect(graph).toContain("  hub --> spoke_c\n");
  });

  it("gives the same output whatever the order of the spokes", () => {
    const spokes = [spoke("b"), spoke("a", "x"), spoke("c"), spoke("d", "y")];
    expect(formatGraph([...spokes].reverse())).toBe(formatGraph(spokes));
  });

  it("makes node IDs of letters, digits and _ only, never a keyword, never twice", () => {
    const graph = formatGraph([spoke("end"), spoke("a.b", "p"), spoke("a-b", "q")]);
    const ids = [...graph.matchAll(/^ {2}(\S+)\[/gm)].map((match) => match[1]!);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(["spoke_end", "spoke_a_b", "spoke_a_b_2", "spoke_a_b_2_apps"]));
  });

  it("escapes what would end a label or read as HTML", () => {
    expect(escapeLabel('a "b" <c> & #d')).toBe("a #quot;b#quot; #lt;c#gt; #amp; #35;d");
    const odd: PlannedSpoke = { name: "x", layers: [layer('we"ird<b>', "spoke", [], { error: "no kustomization" })] };
    expect(formatGraph([odd])).toContain(
      '  spoke_x_we_ird_b_["we#quot;ird#lt;b#gt;<br/>on the spoke via Secret cluster-kubeconfig<br/>build failed"]\n',
    );
  });

  it("draws a layer after each layer it depends on, and from the namespace when it depends on none here", () => {
    const fan: PlannedSpoke = {
      name: "s",
      layers: [layer("a", "spoke", []), layer("b", "spoke", ["flux-system/elsewhere"]), layer("c", "spoke", ["a", "s/b"])],
    };
    const edges = formatGraph([fan])
      .split("\n")
      .filter((line) => line.includes(" --> ") && !line.includes("hub"));
    expect(edges).toEqual(["  spoke_s --> spoke_s_a", "  spoke_s --> spoke_s_b", "  spoke_s_a --> spoke_s_c", "  spoke_s_b --> spoke_s_c"]);
  });
});
