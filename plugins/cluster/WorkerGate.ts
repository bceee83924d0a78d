/**
 * WorkerGate: how many jobs one worker runs at once, and its drain. The engine places work by
 * hash, not by free capacity, so each worker bounds itself; draining, it starts no new job and
 * waits for the running ones, and what waits at the gate is handed back when the runner stops.
 * A job that had started on a worker that died waits ahead of the jobs that never started: it
 * was ahead of them in line before its worker died.
 */
import { Context, Deferred, Effect, Exit, Layer } from "effect"

export interface GateOptions {
  /** Asked only when every slot is taken: whether this job waits ahead of the others. */
  readonly ahead?: Effect.Effect<boolean>
}

/** Restores the caller's interruptibility inside an uninterruptible region. */
type Restore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

export class WorkerGate extends Context.Service<
  WorkerGate,
  {
    /** This worker's name, recorded with what it runs. */
    readonly worker: string
    /** How many jobs it runs at once. */
    readonly slots: number
    /** Whether it has begun to drain (it starts no new job). */
    readonly isDraining: Effect.Effect<boolean>
    /** Runs `effect` holding one of the worker's slots (waiting for one). */
    readonly run: <A, E, R>(effect: Effect.Effect<A, E, R>, options?: GateOptions) => Effect.Effect<A, E, R>
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
        let free = slots
        const ahead: Array<Deferred.Deferred<void>> = []
        const behind: Array<Deferred.Deferred<void>> = []
        // A freed slot goes to the first job waiting ahead, else the first waiting behind.
        const release = Effect.sync(() => {
          const next = ahead.shift() ?? behind.shift()
          if (next === undefined) free++
          else Deferred.doneUnsafe(next, Exit.void)
        })
        /**
         * Takes a slot, waiting in `line` when none is free; an interrupted wait gives back a slot
         * handed to it meanwhile. Run uninterruptibly: only `restore`'s parts (the caller's) can be
         * interrupted, so the caller records the slot before any interruption can land.
         */
        const take = (line: Effect.Effect<Array<Deferred.Deferred<void>>>, restore: Restore) =>
          Effect.suspend(() => {
            const taken = Effect.sync(() => {
              if (free === 0) return false
              free--
              return true
            })
            return Effect.flatMap(taken, (got) =>
              got
                ? Effect.void
                : Effect.flatMap(restore(line), (queue) =>
                    // A slot may have come back while `line` looked something up.
                    Effect.flatMap(taken, (got) => {
                      if (got) return Effect.void
                      const turn = Deferred.makeUnsafe<void>()
                      queue.push(turn)
                      return restore(Deferred.await(turn)).pipe(
                        Effect.onInterrupt(() =>
                          Effect.suspend(() => {
                            const waiting = queue.indexOf(turn)
                            if (waiting < 0) return release
                            queue.splice(waiting, 1)
                            return Effect.void
                          })
                        )
                      )
                    })
                  )
            )
          })
        const lineOf = (gate: GateOptions | undefined) =>
          gate?.ahead === undefined
            ? Effect.succeed(behind)
            : Effect.map(gate.ahead, (first) => (first ? ahead : behind))
        let draining = false
        const drain = Effect.uninterruptibleMask((restore) =>
          Effect.gen(function* () {
            draining = true
            yield* Effect.logInfo("draining: waiting for the running jobs").pipe(
              Effect.annotateLogs({ worker: options.worker })
            )
            // Holding every slot means no job is running; they go back for the next drain, and
            // an interrupted drain gives back those it held, or the closing drain would wait forever.
            let held = 0
            const giveBack = Effect.suspend(() => Effect.forEach(Array.from({ length: held }), () => release))
            yield* Effect.suspend(() =>
              Effect.whileLoop({
                while: () => held < slots,
                body: () => take(Effect.succeed(behind), restore),
                step: () => {
                  held++
                }
              })
            ).pipe(Effect.onInterrupt(() => giveBack))
            yield* giveBack
          })
        )
        yield* Effect.addFinalizer(() => drain)
        return WorkerGate.of({
          worker: options.worker,
          slots,
          isDraining: Effect.sync(() => draining),
          drain,
          run: (effect, gate) =>
            Effect.suspend(() =>
              draining
                ? // Never started once draining: the runner's stop interrupts it, and the job goes to another worker.
                  Effect.never
                : // Taking the slot and installing its release is one step: only the wait can be interrupted.
                  Effect.uninterruptibleMask((restore) =>
                    Effect.flatMap(take(lineOf(gate), restore), () =>
                      // A job that got its slot only once the drain began does not start either.
                      draining
                        ? Effect.andThen(release, restore(Effect.never))
                        : restore(effect).pipe(Effect.ensuring(release))
                    )
                  )
            )
        })
      })
    )
}
