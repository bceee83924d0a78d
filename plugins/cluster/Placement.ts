/**
 * Placement by free capacity. The engine places an entity by a hash of its id, so a job's pipeline
 * would run wherever its workflow's shard happens to live (2 workers split 20 jobs 17/3 at worst).
 * Instead each worker publishes the shards it holds and its slots; a job is placed on the live
 * worker with the most free slots (then the one given fewer jobs), and its pipeline is sent to a
 * per-job entity whose id is chosen so that its shard is one that worker holds.
 */
import { Clock, Effect, Layer, Schedule, Schema } from "effect"
import { EntityId, ShardId, Sharding } from "effect/cluster"
import { SqlClient } from "effect/sql"
import { WorkerGate } from "./WorkerGate.ts"

/** Where a job's pipeline runs: the per-job entity's id, and the worker chosen (empty when none was known). */
export const Placed = Schema.Struct({ entityId: Schema.String, runner: Schema.String })
export type Placed = typeof Placed.Type

/** How often a worker looks at the shards it holds (and publishes them when they changed). */
const publishEvery = Schedule.spaced("250 millis")

/** How often a worker publishes its row unchanged, so that a live worker's row is never older than `liveWithin`. */
const heartbeatMs = 3_000

/** How recent a worker's row must be for jobs to be placed on it: a killed worker's row stops being renewed. */
const liveWithin = "10 seconds"

/** How many candidate ids are tried for a worker's shards: with half the shards, 2 tries on average. */
const maxCandidates = 10_000

/** Tamma's placement tables: each worker's slots and shards, and each job's placement. */
export const createPlacementTables = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE tamma_workers (
    address TEXT PRIMARY KEY,
    concurrency INTEGER NOT NULL,
    shards TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
  )`
  yield* sql`CREATE TABLE tamma_job_placements (
    request_id TEXT PRIMARY KEY,
    runner TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    placed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
  )`
  yield* sql`CREATE INDEX tamma_job_placements_runner ON tamma_job_placements (runner)`
})

const Candidate = Schema.Struct({
  address: Schema.String,
  shards: Schema.fromJsonString(Schema.Array(Schema.Number))
})
const decodeCandidates = Schema.decodeUnknownEffect(Schema.Array(Candidate))
const encodeShards = Schema.encodeSync(Schema.fromJsonString(Schema.Array(Schema.Number)))

/**
 * Publishes this worker's slots and the shards of `group` it holds, while it runs; a draining
 * worker publishes no slots (it starts nothing new), and its row goes when it stops.
 */
export const publishCapacityLayer = (options: { readonly group: string; readonly shardsPerGroup: number }) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const sharding = yield* Sharding.Sharding
      const gate = yield* WorkerGate
      const shardIds = Array.from({ length: options.shardsPerGroup }, (_, i) => ShardId.make(options.group, i + 1))
      // Rows of workers the engine no longer knows (killed, never stopped cleanly) are stale.
      yield* sql`DELETE FROM tamma_workers w WHERE NOT EXISTS (SELECT 1 FROM cluster_runners r WHERE r.address = w.address)`.pipe(
        Effect.catchCause((cause) => Effect.logDebug("placement: could not prune stale workers", cause))
      )
      let published = ""
      let publishedAt = 0
      const publish = Effect.gen(function* () {
        const draining = yield* gate.isDraining
        const held = draining ? [] : shardIds.filter((shard) => sharding.hasShardId(shard)).map((shard) => shard.id)
        const slots = draining ? 0 : gate.slots
        const shards = encodeShards(held)
        const now = yield* Clock.currentTimeMillis
        if (`${slots} ${shards}` === published && now - publishedAt < heartbeatMs) return
        yield* sql`INSERT INTO tamma_workers (address, concurrency, shards) VALUES (${gate.worker}, ${slots}, ${shards})
          ON CONFLICT (address) DO UPDATE SET concurrency = EXCLUDED.concurrency, shards = EXCLUDED.shards,
          updated_at = clock_timestamp()`
        published = `${slots} ${shards}`
        publishedAt = now
      })
      yield* publish.pipe(
        Effect.catchCause((cause) => Effect.logDebug("placement: could not publish this worker's shards", cause)),
        Effect.repeat(publishEvery),
        Effect.forkScoped
      )
      yield* Effect.addFinalizer(() =>
        sql`DELETE FROM tamma_workers WHERE address = ${gate.worker}`.pipe(Effect.ignore)
      )
    })
  )

/**
 * Chooses where `requestId`'s pipeline runs: the live worker with the most free slots (jobs placed
 * on it and not finished count as taken), then the one given fewer jobs, and an entity id
 * (`requestId/k`) whose shard it holds. Placements are serialised by a table lock, so jobs placed
 * at once see each other. With no worker known, the id hashes anywhere (the engine's placement).
 */
export const placeJob = Effect.fn("Placement.placeJob")(function* (requestId: string, group: string) {
  const sql = yield* SqlClient.SqlClient
  const sharding = yield* Sharding.Sharding
  const place = Effect.gen(function* () {
    yield* sql`LOCK TABLE tamma_job_placements IN SHARE ROW EXCLUSIVE MODE`
    const rows = yield* sql`SELECT w.address, w.shards FROM tamma_workers w
      JOIN cluster_runners r ON r.address = w.address AND r.healthy
      WHERE w.concurrency > 0 AND w.shards <> '[]'
        AND w.updated_at > clock_timestamp() - ${liveWithin}::interval
      ORDER BY w.concurrency - (SELECT count(*) FROM tamma_job_placements p JOIN tamma_jobs j ON j.request_id = p.request_id
          WHERE p.runner = w.address AND j.state IN ('queued', 'running')) DESC,
        (SELECT count(*) FROM tamma_job_placements p WHERE p.runner = w.address),
        w.address
      LIMIT 1`.pipe(Effect.flatMap(decodeCandidates))
    const chosen = rows[0]
    const held = new Set(chosen?.shards ?? [])
    let placed: Placed = { entityId: `${requestId}/0`, runner: "" }
    for (let k = 0; chosen !== undefined && k < maxCandidates; k++) {
      const entityId = `${requestId}/${k}`
      if (held.has(sharding.getShardId(EntityId.make(entityId), group).id)) {
        placed = { entityId, runner: chosen.address }
        break
      }
    }
    yield* sql`INSERT INTO tamma_job_placements (request_id, runner, entity_id)
      VALUES (${requestId}, ${placed.runner}, ${placed.entityId})
      ON CONFLICT (request_id) DO UPDATE SET runner = EXCLUDED.runner, entity_id = EXCLUDED.entity_id,
      placed_at = clock_timestamp()`
    return placed
  })
  // Placement only spreads the load: a database that fails here must not fail the job (activities
  // are retried only when interrupted, so a defect would end its workflow), so the job goes where
  // the engine's hash puts it.
  return yield* sql.withTransaction(place).pipe(
    // Failures and defects alike (an interruption still interrupts).
    Effect.orDie,
    Effect.catchDefect((defect) =>
      Effect.as(Effect.logWarning("placement: could not place the job; it runs where its id hashes", defect), {
        entityId: `${requestId}/0`,
        runner: ""
      })
    )
  )
})
