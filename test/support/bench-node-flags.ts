// BENCH_NODE_FLAGS: flags for the node of a relay a benchmark or attack test starts (V8's, to
// try them against the same workload), space-separated.

/** The flags BENCH_NODE_FLAGS names, none if unset. */
export function benchNodeFlags(): string[] {
  return process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
}
