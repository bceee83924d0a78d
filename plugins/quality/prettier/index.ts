/** Prettier with plugins: formatting for Java, Rust and PHP. */
export * as Prettier from "./Prettier.ts"
export { PrettierJava } from "./PrettierJava.ts"
export { PrettierPhp } from "./PrettierPhp.ts"
export { PrettierRust } from "./PrettierRust.ts"
