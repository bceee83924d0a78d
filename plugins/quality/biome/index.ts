/** Biome: in-process formatting and linting for JavaScript, TypeScript and JSON. */
export { Biome } from "./Biome.ts"
export type { BiomeStyle } from "./BiomeConfig.ts"
