import { describeKillChain } from "./kill-chain.ts";

describeKillChain("killed while loading, once every file is staged, halfway through the renames", [
  { loading: 300 },
  { staged: 1 },
  { renamed: 0.5 },
]);
