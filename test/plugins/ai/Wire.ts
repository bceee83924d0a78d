/**
 * Real-shaped payloads of the two wire protocols, for the fake server to send.
 */
import { sse } from "./FakeServer.ts"

export const anthropicMessage = (text: string, options: { stop?: string; input?: number; output?: number } = {}) => ({
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text }],
  stop_reason: options.stop ?? "end_turn",
  stop_sequence: null,
  usage: { input_tokens: options.input ?? 12, output_tokens: options.output ?? 6 }
})

export const anthropicError = (type: string, message: string) => ({ type: "error", error: { type, message } })

/** The event sequence of a streamed message; `complete: false` stops before message_stop. */
export const anthropicSse = (
  chunks: ReadonlyArray<string>,
  options: { complete?: boolean; stop?: string; input?: number; output?: number } = {}
) => {
  const frames = [
    sse(
      {
        type: "message_start",
        message: {
          id: "msg_stream",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5-20250929",
          content: [],
          stop_reason: null,
          usage: { input_tokens: options.input ?? 25, output_tokens: 1 }
        }
      },
      "message_start"
    ),
    sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
    sse({ type: "ping" }, "ping"),
    ...chunks.map((text) =>
      sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, "content_block_delta")
    )
  ]
  if (options.complete === false) return frames
  return [
    ...frames,
    sse({ type: "content_block_stop", index: 0 }, "content_block_stop"),
    sse(
      {
        type: "message_delta",
        delta: { stop_reason: options.stop ?? "end_turn", stop_sequence: null },
        usage: { output_tokens: options.output ?? 15 }
      },
      "message_delta"
    ),
    sse({ type: "message_stop" }, "message_stop")
  ]
}

export const openAiCompletion = (
  text: string,
  options: { finish?: string; prompt?: number; completion?: number; model?: string } = {}
) => ({
  id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  object: "chat.completion",
  created: 1741569952,
  model: options.model ?? "gpt-4.1-2025-04-14",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: options.finish ?? "stop"
    }
  ],
  usage: {
    prompt_tokens: options.prompt ?? 19,
    completion_tokens: options.completion ?? 10,
    total_tokens: (options.prompt ?? 19) + (options.completion ?? 10),
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }
  },
  service_tier: "default"
})

export const openAiError = (message: string, type: string, code: string | null = null) => ({
  error: { message, type, param: null, code }
})

/** Chunks with a usage chunk and `[DONE]`; `complete: false` stops mid-answer. */
export const openAiSse = (
  chunks: ReadonlyArray<string>,
  options: { complete?: boolean; finish?: string; prompt?: number; completion?: number } = {}
) => {
  const base = { id: "chatcmpl-123", object: "chat.completion.chunk", created: 1694268190, model: "gpt-4.1-mini" }
  const frames = [
    sse({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }),
    ...chunks.map((content) => sse({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] }))
  ]
  if (options.complete === false) return frames
  return [
    ...frames,
    sse({ ...base, choices: [{ index: 0, delta: {}, finish_reason: options.finish ?? "stop" }] }),
    sse({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: options.prompt ?? 30,
        completion_tokens: options.completion ?? 12,
        total_tokens: (options.prompt ?? 30) + (options.completion ?? 12)
      }
    }),
    sse("[DONE]")
  ]
}
