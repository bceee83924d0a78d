/**
 * CompileServer: a compiler kept warm across runs (a long-lived worker's), which answers some
 * compile-check commands in place of starting the compiler afresh. A compile check's sandbox is
 * made under its `root`, the one folder it reads jobs from; a command it does not serve (another
 * compiler, a workspace's own compiler, an option it leaves to the real one) runs as before.
 */
import { Context, type Effect, type Option } from "effect"
import type { CompileCommand } from "../../core/services/LanguageRegistry.ts"
import type { ConfinedOutcome } from "./Confinement.ts"

export class CompileServer extends Context.Service<
  CompileServer,
  {
    /** Where compile checks' sandboxes are made: each a direct child of it. */
    readonly root: string
    /**
     * The outcome of `command` in `sandbox`, as the command itself would have it, or None when the
     * command must run itself (confined, as every command is).
     */
    readonly run: (options: {
      readonly command: CompileCommand
      readonly sandbox: string
      readonly timeoutMs: number
    }) => Effect.Effect<Option.Option<ConfinedOutcome>>
    /**
     * Starts the compiler and has it check a tiny project, so that the first real check finds it
     * loaded (a worker does this before it takes jobs). Never fails: a compiler that cannot start
     * leaves the checks to run as they would have.
     */
    readonly warm?: Effect.Effect<void>
  }
>()("@tamma/codegen/testing/CompileServer") {}
