/**
 * A `Prompt` as the plain role/text messages that both chat wire protocols take. The pipeline
 * sends text only; file, reasoning and tool parts are left out rather than sent half-encoded.
 */
import type { Prompt } from "effect/ai"

export interface TextMessage {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

const textOf = (parts: ReadonlyArray<{ readonly type: string }>): string =>
  parts.flatMap((part) => ("text" in part && typeof part.text === "string" ? [part.text] : [])).join("")

export const textMessages = (prompt: Prompt.Prompt): ReadonlyArray<TextMessage> =>
  prompt.content.flatMap((message): ReadonlyArray<TextMessage> => {
    switch (message.role) {
      case "system":
        return [{ role: "system", content: message.content }]
      case "user":
        return [{ role: "user", content: textOf(message.content) }]
      case "assistant":
        return [{ role: "assistant", content: textOf(message.content) }]
      default:
        // Tool messages: the pipeline does not use tools.
        return []
    }
  })
