/**
 * Turns of the event loop for synchronous work. A tool that holds its thread for a while on each
 * file (the tree-sitter rules parse and query it) waits for a turn of its own first: at most one
 * such piece of work runs per turn, and between two of them the loop reads its I/O. Without this,
 * checks started together run their synchronous parts back to back, and the answers of the native
 * Biome runs beside them (NativeVerdict.ts) wait unread until all of them are done, so the next
 * run starts only then, on a core that was idle meanwhile.
 */
import { Effect } from "effect"

let previous: Promise<void> = Promise.resolve()

/**
 * Waits until the work that asked before has had its turn, then for the next turn of the loop (an
 * immediate: after the loop's poll for I/O).
 */
export const ownTurn: Effect.Effect<void> = Effect.promise(() => {
  const mine = previous.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
  previous = mine
  return mine
})

/** The next turn of the loop, for work that holds the thread for a while in several steps. */
export const yieldToLoop: Effect.Effect<void> = Effect.promise(
  () => new Promise<void>((resolve) => setImmediate(resolve))
)
