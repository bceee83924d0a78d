export { cargoTestPath, Rust } from "./Rust.ts"
