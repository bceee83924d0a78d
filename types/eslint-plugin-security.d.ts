/** eslint-plugin-security ships no types; the packs use only its recommended flat config. */
declare module "eslint-plugin-security" {
  const plugin: { readonly configs: { readonly recommended: object } }
  export default plugin
}
