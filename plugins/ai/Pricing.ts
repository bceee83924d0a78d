/**
 * Estimated cost of a call from a price table (USD per million tokens, list prices when this
 * table was written). Model ids match by the longest prefix, so dated ids
 * (`claude-sonnet-4-5-20250929`) find their family. Local models and unknown ids cost 0.
 */

export interface Price {
  readonly inputPerMillion: number
  readonly outputPerMillion: number
}

export type PriceTable = Readonly<Record<string, Price>>

export const defaultPrices: PriceTable = {
  "claude-opus-4-5": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-4": { inputPerMillion: 15, outputPerMillion: 75 },
  "claude-sonnet-4": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-3-7-sonnet": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-3-5-sonnet": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-haiku-4-5": { inputPerMillion: 1, outputPerMillion: 5 },
  "claude-3-5-haiku": { inputPerMillion: 0.8, outputPerMillion: 4 },
  "gpt-5-nano": { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  "gpt-5-mini": { inputPerMillion: 0.25, outputPerMillion: 2 },
  "gpt-5": { inputPerMillion: 1.25, outputPerMillion: 10 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "o4-mini": { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 }
}

export const priceOf = (model: string, table: PriceTable = defaultPrices): Price | undefined => {
  let best: string | undefined
  for (const prefix of Object.keys(table)) {
    if (model.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix
  }
  return best === undefined ? undefined : table[best]
}

export const costOf = (
  model: string,
  tokens: { readonly input: number; readonly output: number },
  table: PriceTable = defaultPrices
): number => {
  const price = priceOf(model, table)
  if (price === undefined) return 0
  return (tokens.input * price.inputPerMillion + tokens.output * price.outputPerMillion) / 1_000_000
}
