/**
 * ChangeSet: the large, deterministic workspace and change set of the safety tests — files
 * modified, deleted and created (some in folders that do not exist yet).
 */

/** The workspace before the run: `count` files in ten folders. */
export const initialFiles = (count: number): Record<string, string> => {
  const files: Record<string, string> = {}
  for (let i = 0; i < count; i++) {
    files[`src/m${i % 10}/file${String(i).padStart(4, "0")}.ts`] =
      `export const value${i} = ${i}\n${"// filler line\n".repeat(20 + (i % 50))}`
  }
  return files
}

/** What the run does to `initialFiles(count)`: path → new content, or `undefined` to delete. */
export const changeSet = (count: number): ReadonlyMap<string, string | undefined> => {
  const changes = new Map<string, string | undefined>()
  for (let i = 0; i < count; i++) {
    const path = `src/m${i % 10}/file${String(i).padStart(4, "0")}.ts`
    if (i % 4 === 1) changes.set(path, undefined)
    else if (i % 2 === 0)
      changes.set(path, `export const value${i} = ${i * 2} // changed\n${"// new line\n".repeat(i % 40)}`)
  }
  for (let i = 0; i < count / 2; i++) {
    changes.set(`gen/d${i % 15}/deep/new${i}.ts`, `export const created${i} = "${"x".repeat(i % 200)}"\n`)
  }
  return changes
}
