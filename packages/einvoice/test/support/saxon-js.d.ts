/** The few calls of SaxonJS (devDependency `saxon-js`, which ships no types) the tests make. */
declare module 'saxon-js' {
  interface TransformOptions {
    readonly stylesheetInternal: unknown;
    readonly sourceText: string;
    readonly destination: 'serialized';
  }
  interface SaxonJS {
    transform(options: TransformOptions, mode: 'sync'): { principalResult: string };
    XPath: {
      evaluate(
        xpath: string,
        context: unknown,
        options?: {
          params?: Record<string, unknown>;
          namespaceContext?: Record<string, string>;
          resultForm?: 'array' | 'default';
        },
      ): unknown;
    };
  }
  const saxon: SaxonJS;
  export default saxon;
}
