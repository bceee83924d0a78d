/** Prettier with plugins: formatting for Java and Rust. */
export * as Prettier from "./Prettier.ts"
export { PrettierJava } from "./PrettierJava.ts"
export { PrettierRust } from "./PrettierRust.ts"
