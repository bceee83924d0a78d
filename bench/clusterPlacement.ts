/**
 * How the engine's hash alone would split 20 jobs between 2 workers (`npx node bench/clusterPlacement.ts
 * [SAMPLES]`): a job's workflow lives on the shard its execution id hashes to, placed on a runner by
 * the engine's hash ring of runner addresses. Before the placement step (plugins/cluster/Placement.ts)
 * the job's pipeline ran there too; now only the workflow's short steps do, and the pipeline runs on
 * the worker with the most free slots, so this is the split that step avoids. Each sample
 * draws two runner ports and 20 random request ids (or the benchmark's own, with `--bench-ids`), and counts the
 * workflows per runner. With 2 slots per worker and jobs of equal length, the busier worker's
 * share bounds the batch: ⌈most / 2⌉ rounds against 10 for one worker.
 */
import { randomUUID } from "node:crypto"
import { Effect, HashRing } from "effect"
import { RunnerAddress } from "effect/cluster"
import { moduleJob } from "../examples/cluster/ClusterFixture.ts"
import { GenerateJob } from "../plugins/cluster/GenerateJob.ts"

const samples = Number(process.argv[2] ?? 2000)
/** `--bench-ids`: the benchmark's own request ids (two-0 … two-19) instead of random ones. */
const benchIds = process.argv.includes("--bench-ids")
const shardsPerGroup = 300

/** The engine's shard hash (effect/cluster internal/hash.ts, as Sharding.getShardId uses it). */
const hashString = (text: string) => {
  let h = 5381
  let i = text.length
  while (i) h = (h * 33) ^ text.charCodeAt(--i)
  return (h & 0xbfffffff) | ((h >>> 1) & 0x40000000)
}
const shardOf = (entityId: string) => Math.abs(hashString(entityId) % shardsPerGroup) + 1

const port = () => 32768 + Math.floor(Math.random() * 28000)
const splits = new Map<number, number>()
for (let sample = 0; sample < samples; sample++) {
  const ring = HashRing.make<RunnerAddress.RunnerAddress>()
  const runners = [RunnerAddress.make("127.0.0.1", port()), RunnerAddress.make("127.0.0.1", port())]
  for (const runner of runners) HashRing.add(ring, runner)
  const owners = HashRing.getShards(ring, shardsPerGroup) ?? []
  let first = 0
  for (let job = 0; job < 20; job++) {
    const requestId = benchIds ? `two-${job}` : randomUUID()
    const executionId = await Effect.runPromise(GenerateJob.executionId(moduleJob(requestId, "/repository", "x")))
    if (owners[shardOf(executionId) - 1] === runners[0]) first++
  }
  const most = Math.max(first, 20 - first)
  splits.set(most, (splits.get(most) ?? 0) + 1)
}
let atMost6 = 0
for (const most of [...splits.keys()].sort((a, b) => a - b)) {
  const share = (splits.get(most) ?? 0) / samples
  if (Math.ceil(most / 2) <= 6) atMost6 += share
  console.log(
    `${most}/${20 - most}: ${(share * 100).toFixed(1).padStart(5)}%  (2 workers against 1, slots alone: ${(Math.ceil(most / 2) / 10).toFixed(1)}×)`
  )
}
console.log(`splits that would allow ≤ 0.6× by the hash alone: ${(atMost6 * 100).toFixed(1)}% of ${samples}`)
