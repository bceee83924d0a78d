/**
 * A process that owns native Biome runs and keeps asking, for NativeSpawner.test.ts to kill at
 * any moment: every file it asks about is named `<marker>-<n>.ts`, so the runs it started are
 * found in /proc by their command lines. It prints `asked` as the first run starts and
 * `answered` after each answer.
 */
import * as BiomeConfig from "../../../../plugins/quality/biome/BiomeConfig.ts"
import * as NativeVerdict from "../../../../plugins/quality/biome/NativeVerdict.ts"

const marker = process.argv[2] ?? "native-run-owner"
const configuration = BiomeConfig.configuration()
const key = JSON.stringify(configuration)
let next = 0

const ask = (): void => {
  const n = next++
  void NativeVerdict.verdict(`export const value${n} = ${n}\n`, `${marker}-${n}.ts`, configuration, key).then(() => {
    process.stdout.write("answered\n")
    ask()
  })
}

ask()
ask()
process.stdout.write("asked\n")
// Runs in flight keep the process alive only through the spawner's pipe: keep it alive anyway.
setInterval(() => {}, 1000)
