// Mutation testing of the modules where a silent bug loses a user's file or writes where it must
// not. `npm run mutation` runs it; mutation/ModuleScores.ts then holds each module to the threshold.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  mutate: [
    // Edit parsing, location and application (one module or split into EditParse/EditLocate/EditApply).
    "core/pipeline/Edit{s,Parse,Locate,Apply}.ts",
    "core/pipeline/BlockPaths.ts",
    "core/pipeline/Extraction.ts",
    "core/services/PathPolicy.ts",
    "core/services/FileManager.ts",
    "core/services/RunHistory.ts",
    // The journal, atomic writes and the workspace lock of the node backend.
    "plugins/files/node/DiskJournal.ts",
    "plugins/files/node/AtomicFile.ts",
    "plugins/files/node/WorkspaceLock.ts",
    "core/pipeline/Recovery.ts",
    "core/pipeline/Rollback.ts",
    "core/pipeline/Repair.ts"
  ],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  coverageAnalysis: "perTest",
  // The machine is shared with the rest of the work: one test process at a time.
  concurrency: 1,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["json", "clear-text", "progress"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 85, break: 85 },
  timeoutMS: 20_000,
  // The sandbox copy needs the sources and tests, not the outputs of earlier runs.
  ignorePatterns: ["dist", "coverage", "reports", ".tamma", "test-results.json", ".stryker-tmp*"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true
}
