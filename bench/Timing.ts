/**
 * What a bench module returns, and the timing helper they share.
 */

export interface BenchRow {
  readonly name: string
  /** Our time, in milliseconds. */
  readonly oursMs: number
  /** The baseline's time, in milliseconds (0 when there is none). */
  readonly baselineMs: number
  /** The highest acceptable ours/baseline ratio, when the row has a target. */
  readonly target?: number
  readonly note?: string
}

export type Bench = () => Promise<ReadonlyArray<BenchRow>>

/** The median of `runs` timings of `work`, after warm-up runs (a third as many, at least one). */
export const time = async (work: () => Promise<unknown> | unknown, runs = 5): Promise<number> => {
  for (let i = 0; i < Math.max(1, Math.ceil(runs / 3)); i++) await work()
  const samples: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await work()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] ?? 0
}

/** Medians of `ours` and `baseline`, run alternately so that machine noise hits both alike. */
export const compare = async (
  ours: () => Promise<unknown> | unknown,
  baseline: () => Promise<unknown> | unknown,
  runs = 50
): Promise<{ readonly oursMs: number; readonly baselineMs: number }> => {
  const a: Array<number> = []
  const b: Array<number> = []
  for (let i = 0; i < Math.max(1, Math.ceil(runs / 3)); i++) {
    await ours()
    await baseline()
  }
  for (let i = 0; i < runs; i++) {
    let start = performance.now()
    await ours()
    a.push(performance.now() - start)
    start = performance.now()
    await baseline()
    b.push(performance.now() - start)
  }
  const median = (xs: Array<number>) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0
  return { oursMs: median(a), baselineMs: median(b) }
}
