/**
 * The shape of a rule's examples: code that must trigger it and look-alikes that must not.
 * Every rule of a rules file needs an entry, so that a rule cannot be added untested.
 */
export interface RuleExamples {
  readonly vulnerable: ReadonlyArray<string>
  readonly safe: ReadonlyArray<string>
}

export type ExampleTable = Readonly<Record<string, RuleExamples>>
