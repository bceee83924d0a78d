/**
 * WorkerGate: how many jobs one worker runs at once, and its drain. The engine places work by
 * hash, not by free capacity, so each worker bounds itself; draining, it starts no new job and
 * waits for the running ones, and what waits at the gate is handed back when the runner stops.
 */
import { Context, Effect, Layer, Option, Semaphore } from "effect"

export class WorkerGate extends Context.Service<
  WorkerGate,
  {
    /** This worker's name, recorded with what it runs. */
    readonly worker: string
    /** Runs `effect` holding one of the worker's slots (waiting for one). */
    readonly run: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /** Starts no new job from now on, and waits for the running ones to finish. */
    readonly drain: Effect.Effect<void>
  }
>()("@tamma/codegen/cluster/WorkerGate") {
  /** A gate of `concurrency` slots; it drains when its scope closes too. */
  static readonly layer = (options: { readonly worker: string; readonly concurrency: number }) =>
    Layer.effect(
      WorkerGate,
      Effect.gen(function* () {
        const slots = Math.max(1, Math.floor(options.concurrency))
        const semaphore = yield* Semaphore.make(slots)
        let draining = false
        const drain = Effect.gen(function* () {
          draining = true
          yield* Effect.logInfo("draining: waiting for the running jobs").pipe(
            Effect.annotateLogs({ worker: options.worker })
          )
          // Holding every slot means no job is running; they go back for the next drain.
          yield* Semaphore.take(semaphore, slots)
          yield* Semaphore.release(semaphore, slots)
        })
        yield* Effect.addFinalizer(() => drain)
        return WorkerGate.of({
          worker: options.worker,
          drain,
          run: (effect) =>
            Effect.suspend(() =>
              draining
                ? // Never started once draining: the runner's stop interrupts it, and the job goes to another worker.
                  Effect.never
                : Effect.acquireUseRelease(
                    // A job that got its slot only once the drain began does not start either.
                    Effect.map(Semaphore.take(semaphore, 1), () => draining),
                    (late) => (late ? Effect.succeed(Option.none()) : Effect.map(effect, Option.some)),
                    () => Semaphore.release(semaphore, 1)
                  ).pipe(Effect.flatMap(Option.match({ onNone: () => Effect.never, onSome: Effect.succeed })))
            )
        })
      })
    )
}
