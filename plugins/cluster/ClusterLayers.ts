/**
 * The layers of a worker and of a submitter: Postgres (Tamma's tables migrated first), the
 * engine's runner (or a client-only one), the workflow engine, and for a worker the job handlers,
 * its gate and the housekeeping of finished jobs.
 */
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Option, Redacted, Schedule } from "effect"
import { ClusterWorkflowEngine, RunnerAddress, Sharding, ShardingConfig } from "effect/cluster"
import { FinishedJobs } from "./FinishedJobs.ts"
import { jobHandlersLayer, jobRunShardGroup } from "./GenerateJob.ts"
import type { JobPipeline } from "./JobPipeline.ts"
import { JobStore, migrate } from "./JobStore.ts"
import { peerWatchLayer } from "./PeerWatch.ts"
import { publishCapacityLayer } from "./Placement.ts"
import { WarmCheckouts } from "./WarmCheckouts.ts"
import { WorkerGate } from "./WorkerGate.ts"

/** Postgres at `url` (`postgres://user@host:port/database`), with Tamma's tables migrated before anything uses it. */
export const databaseLayer = (url: string) => {
  const client = PgClient.layer({ url: Redacted.make(url) })
  const migrated = Layer.effectDiscard(migrate).pipe(Layer.provide(NodeServices.layer))
  return migrated.pipe(Layer.provideMerge(client))
}

/** A runner's health is checked every 2 s (the default is 60 s): a dead worker's jobs move within seconds. */
export const runnerHealthCheckInterval = Duration.seconds(2)

/**
 * The engine's timings, shared by workers and submitters (both read the runners' list with them).
 * The health check runs on one runner only; when that is the one killed, a dead runner is only
 * dropped once its heartbeat is older than the shard lock's expiration (35 s by default), so the
 * lock expires after 9 s, refreshed (the heartbeat) every 3 s; every worker's `PeerWatch` reports
 * a killed one sooner. Shorter locks were tried: with 6 s, refreshed every 2 s, a run on a
 * machine at load 16 saw a live worker's jobs restart mid-run and never finish. Assignments are
 * re-read every 0.5 s (3 s by default): a runner reported dead is dropped on the next read. The
 * stored messages are read every 1 s (10 s by default): a message the read loop skips (one it
 * still thinks is in flight, or one for an entity not registered yet) and whose claim it then
 * releases is only read again at the next poll, so a resumed job could sit there up to 10 s.
 * Each costs one small query per interval per runner.
 */
export const engineTimings = {
  runnerHealthCheckInterval: Duration.toMillis(runnerHealthCheckInterval),
  shardLockRefreshInterval: Duration.seconds(3),
  shardLockExpiration: Duration.seconds(9),
  refreshAssignmentsInterval: Duration.millis(500),
  entityMessagePollInterval: Duration.seconds(1),
  // A job's pipeline often runs on another worker than its workflow, which reads the stored reply
  // of its `Run` call this often (200 ms by default): one small query while it waits. The
  // submitter does not wait for it (the run records the result); the repository's next job does.
  entityReplyPollInterval: Duration.millis(100),
  shardsPerGroup: ShardingConfig.defaults.shardsPerGroup
}

export interface WorkerOptions {
  readonly database: string
  /** Where other runners reach this one. */
  readonly host: string
  readonly port: number
  readonly concurrency: number
  /** How long finished jobs' engine messages are kept. */
  readonly retention: Duration.Duration
  readonly pipeline: Layer.Layer<JobPipeline>
}

/** Deletes finished jobs' messages past their retention now and then (the engine keeps them forever). */
const housekeeping = (retention: Duration.Duration) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const store = yield* JobStore
      const every = Duration.min(Duration.max(retention, Duration.seconds(1)), Duration.minutes(1))
      yield* store.housekeep(Duration.toMillis(retention)).pipe(
        Effect.tap((cleared) =>
          cleared > 0 ? Effect.logInfo(`housekeeping: cleared ${cleared} finished job(s)`) : Effect.void
        ),
        Effect.repeat(Schedule.spaced(every)),
        Effect.forkScoped
      )
    })
  )

/** A warm worker. Its `WorkerGate` drains it: call `drain` before the layer's scope closes (see `runWorker`). */
export const workerLayer = (options: WorkerOptions) => {
  const worker = `${options.host}:${options.port}`
  const runner = NodeClusterSocket.layer({
    storage: "sql",
    shardingConfig: {
      ...engineTimings,
      runnerAddress: Option.some(RunnerAddress.make(options.host, options.port))
    }
  })
  const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(runner))
  // Built after the runner (it asks for Sharding), so on shutdown it drains before the runner stops.
  const gate = WorkerGate.layer({ worker, concurrency: options.concurrency }).pipe(
    Layer.provide(
      Layer.effectDiscard(
        Effect.gen(function* () {
          yield* Sharding.Sharding
        })
      )
    )
  )
  const capacity = publishCapacityLayer({ group: jobRunShardGroup, shardsPerGroup: engineTimings.shardsPerGroup })
  return Layer.mergeAll(jobHandlersLayer, housekeeping(options.retention), peerWatchLayer(worker), capacity).pipe(
    Layer.provideMerge(gate),
    Layer.provide(options.pipeline),
    Layer.provide(WarmCheckouts.layer),
    Layer.provide(engine),
    Layer.provideMerge(JobStore.layer),
    Layer.provide(databaseLayer(options.database))
  )
}

/** What a submitter needs: the engine as a client only (it runs no job), the store, and the finished jobs' notifications. */
export const clientLayer = (database: string) =>
  Layer.mergeAll(ClusterWorkflowEngine.layer, JobStore.layer, FinishedJobs.layer).pipe(
    Layer.provideMerge(NodeClusterSocket.layer({ storage: "sql", clientOnly: true, shardingConfig: engineTimings })),
    Layer.provideMerge(databaseLayer(database))
  )

/** What `clientLayer` provides: the library's `submit`, `awaitResult`, `progress`, `cancel` and `list` run on it. */
export type ClusterClient = Layer.Success<ReturnType<typeof clientLayer>>
