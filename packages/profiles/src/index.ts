// @flux-fleet/profiles was renamed to @flux-fleet/fleet: the package always held the whole fleet DSL (defineFleet,
// defineCluster, profiles, components, overrides), not only profiles. This name stays, re-exporting the same
// module, so that fleets written against it keep working; import from @flux-fleet/fleet in new code.
export * from "@flux-fleet/fleet";
