/**
 * The default language packs, now a preset: kept so that older imports of this path still work.
 */
export { languagesLayer, qualityLayer } from "../presets/NodeQuality.ts"
