/**
 * What the in-process tools share: loading a module or a workspace once, on first use, and the
 * message of what a tool threw. Imports nothing, so a worker that needs it loads nothing more.
 */

/** A promise made on first call and kept; a failed one is forgotten so that a later call may retry. */
export const once = <A>(make: () => Promise<A>): (() => Promise<A>) => {
  let pending: Promise<A> | undefined
  return () => {
    if (pending === undefined) {
      const attempt = make()
      attempt.catch(() => {
        if (pending === attempt) pending = undefined
      })
      pending = attempt
    }
    return pending
  }
}

/** The message of what a tool threw. */
export const causeOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
