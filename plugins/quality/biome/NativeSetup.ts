/**
 * Where Biome's native CLI and bubblewrap are on this machine, as found (NativeVerdict.ts runs
 * them, and stops using them when they fail). Apart and small: the check cache asks whether the
 * native CLI answers here without loading the code that runs it.
 */
import { realpathSync } from "node:fs"
import { createRequire } from "node:module"
import { findExecutable } from "../../testing/Executables.ts"

const require = createRequire(import.meta.url)

/**
 * The platform packages' binaries, glibc before musl: npm installs only the one whose libc
 * matches. Spelled out whole, so that what the package loads is visible to a reader of its code.
 */
const binaryPackages: Readonly<Record<string, ReadonlyArray<string>>> = {
  x64: ["biome-native-linux-x64/biome", "biome-native-linux-x64-musl/biome"],
  arm64: ["biome-native-linux-arm64/biome", "biome-native-linux-arm64-musl/biome"]
}

/** The native binary for this machine, or undefined (bubblewrap confines on Linux only). */
export const nativeBinary = (): string | undefined => {
  if (process.platform !== "linux") return undefined
  for (const binary of binaryPackages[process.arch] ?? []) {
    try {
      return realpathSync(require.resolve(binary))
    } catch {}
  }
  return undefined
}

/** Where the binary and bubblewrap are. */
export interface Setup {
  readonly binary: string
  readonly bwrap: string
}

/** The binary and bubblewrap of this machine, or `undefined` when either is missing. */
export const findSetup = (): Setup | undefined => {
  const binary = nativeBinary()
  const bwrap = findExecutable("bwrap")
  return binary === undefined || bwrap === undefined ? undefined : { binary, bwrap }
}
