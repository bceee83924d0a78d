export { isRustTestPath, Rust } from "./Rust.ts"
