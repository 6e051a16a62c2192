import { describeKillChain } from "./kill-chain.ts";

describeKillChain("killed while staging, once its journal exists, at its last rename", [
  { staged: 0.5 },
  { journal: true },
  { renamed: 1 },
]);
