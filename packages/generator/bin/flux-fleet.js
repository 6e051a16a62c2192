#!/usr/bin/env node
// The workspace's flux-fleet (the published package runs dist/bin.js). Node reads a .ts entry, and so loads its
// type stripper, before a line of it runs: this plain-JavaScript launcher turns the compile cache on first, so
// that a run takes src/bin.ts and everything it imports, stripped and compiled, from the cache.
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("../src/bin.ts");
