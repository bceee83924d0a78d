/**
 * A tool thread for the ToolThread tests: holds its thread for `ms` milliseconds of synchronous
 * work, as a real tool does, then answers with its thread id.
 */
import { threadId } from "node:worker_threads"
import { serve } from "../../../../plugins/quality/thread/Serve.ts"

serve((request: { readonly ms: number }) => {
  const until = Date.now() + request.ms
  while (Date.now() < until) {
    // Busy on purpose: the thread answers no message meanwhile.
  }
  return threadId
})
