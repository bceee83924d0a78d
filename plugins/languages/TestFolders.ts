/**
 * The folders whose files are tests whatever their names (`test/`, `tests/`, `__tests__/`,
 * `spec/`), shared by the packs whose projects keep their tests there.
 */

/** Whether `path` lies in a test folder; a fixture there belongs to the suite too. */
export const inTestFolder = (path: string): boolean => /(^|\/)(tests?|__tests__|spec)\//.test(path)
