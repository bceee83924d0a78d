/**
 * The tests mutation testing runs: each safety-critical module's own tests, in process. Tests that
 * drive the CLI or a killed child process exercise these modules too, but in another process,
 * where a mutant's coverage cannot be seen; they would only slow every mutant down.
 */
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: [
      // Edit parsing, location and application; extraction of files from an answer.
      "test/core/pipeline/Edit*.test.ts",
      "test/core/pipeline/Extraction*.test.ts",
      // Path policy, the file manager, the journal, atomic writes, the workspace lock.
      "test/core/PathPolicy*.test.ts",
      "test/plugins/files/*.test.ts",
      "test/safety/HostilePaths.test.ts",
      "test/safety/Symlinks.test.ts",
      "test/safety/Transactions.test.ts",
      "test/safety/WorkspaceLock.test.ts",
      // The repair loop's outcome decisions.
      "test/core/pipeline/Repair*.test.ts",
      // Tests of these modules' limits and refusals, and of recovery and rollback.
      "test/**/*Boundaries.test.ts"
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default"]
  }
})
