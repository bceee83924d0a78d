/**
 * `template list|show|validate|render|add|versions|rollback|remove`. Only arguments live here;
 * handlers and plugins load when a command runs.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"

const handlers = Effect.promise(() => import("../handlers/Template.ts"))

const taskTypes = ["implementation", "test", "refactoring", "documentation"] as const

const workspace = Flag.String("workspace").pipe(
  Flag.withDescription("Workspace whose .tamma/templates holds custom templates"),
  Flag.withDefault(".")
)

const list = Command.make(
  "list",
  {
    workspace,
    language: Flag.String("language").pipe(Flag.withDescription("Only this language"), Flag.optional),
    category: Flag.Literals("category", taskTypes).pipe(Flag.withDescription("Only this task type"), Flag.optional),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print JSON"), Flag.withDefault(false))
  },
  (input) => Effect.flatMap(handlers, (h) => h.listTemplates(input))
).pipe(Command.withDescription("List templates"))

const show = Command.make(
  "show",
  { workspace, ref: Argument.String("id").pipe(Argument.withDescription("ID[@VERSION]")) },
  (input) => Effect.flatMap(handlers, (h) => h.show(input))
).pipe(Command.withDescription("Show a template's manifest and files"))

const validate = Command.make(
  "validate",
  { dir: Argument.String("dir").pipe(Argument.withDescription("Template folder")) },
  (input) => Effect.flatMap(handlers, (h) => h.validateTemplate(input))
).pipe(Command.withDescription("Check a template folder: syntax, variables, injection guard"))

const render = Command.make(
  "render",
  {
    workspace,
    ref: Argument.String("id").pipe(Argument.withDescription("ID[@VERSION]")),
    params: Flag.String("params").pipe(Flag.withDescription("Parameters: JSON text or a JSON file"), Flag.optional),
    out: Flag.String("out").pipe(Flag.withDescription("Write the files under this folder"), Flag.optional)
  },
  (input) => Effect.flatMap(handlers, (h) => h.render(input))
).pipe(Command.withDescription("Render a template with parameters (its example parameters by default)"))

const add = Command.make(
  "add",
  { workspace, dir: Argument.String("dir").pipe(Argument.withDescription("Template folder")) },
  (input) => Effect.flatMap(handlers, (h) => h.add(input))
).pipe(Command.withDescription("Add a custom template (a new version if it exists)"))

const versions = Command.make("versions", { workspace, id: Argument.String("id") }, (input) =>
  Effect.flatMap(handlers, (h) => h.versions(input))
).pipe(Command.withDescription("List a template's versions"))

const rollback = Command.make(
  "rollback",
  {
    workspace,
    id: Argument.String("id"),
    to: Flag.String("to").pipe(Flag.withDescription("Version to activate"), Flag.optional)
  },
  (input) => Effect.flatMap(handlers, (h) => h.rollback(input))
).pipe(Command.withDescription("Make an earlier version active"))

const remove = Command.make("remove", { workspace, id: Argument.String("id") }, (input) =>
  Effect.flatMap(handlers, (h) => h.removeTemplate(input))
).pipe(Command.withDescription("Remove a custom template and its history"))

export const templateCommand = Command.make("template").pipe(
  Command.withDescription("Manage templates"),
  Command.withSubcommands([list, show, validate, render, add, versions, rollback, remove])
)
