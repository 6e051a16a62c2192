/**
 * Rewrites a generated CommonJS module (ajv's standalone code) so that V8 compiles its top-level functions when it
 * compiles the module, instead of on their first call.
 *
 * Why: Node's compile cache (`enableCompileCache`) stores the code V8 produced when it compiled a module, which for
 * a function declaration is only a stub: V8 compiles the body lazily, on the first call, in every run. The
 * validator of a HelmRelease is one 160 KB function, compiled anew by every `gen` (~5 ms each; ~15 ms over the
 * validators a small fleet meets). A function expression in parentheses is compiled eagerly (V8's heuristic for
 * immediately-invoked functions), so its code lands in the compile cache and a run loads it ready.
 *
 * `function validate20(…) {…}` becomes `var validate20 = (function validate20(…) {…});`, and the module's
 * `module.exports = …` statements move to the end, since a `var` is not hoisted with its value as a declaration
 * is. Nothing else changes: the functions' names, bodies and the module's exports are the same.
 *
 * Used by packages/schemas/scripts/compile-validators.ts and packages/charts/scripts/compile-validators.ts;
 * their tests check the written modules with {@link topLevelFunctionDeclarations}.
 *
 * @example
 * ```ts
 * eagerFunctions('"use strict";module.exports = v;function v(d) { return d === 1; }');
 * // '"use strict";var v = (function v(d) { return d === 1; });\nmodule.exports = v;\n'
 * ```
 */
import ts from "typescript";

function statementsOf(code: string): { source: ts.SourceFile; statements: readonly ts.Statement[] } {
  const source = ts.createSourceFile("module.cjs", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  return { source, statements: source.statements };
}

export function eagerFunctions(code: string): string {
  const { source, statements } = statementsOf(code);
  let out = "";
  let position = 0;
  const exports: string[] = [];
  for (const statement of statements) {
    const start = statement.getStart(source);
    const text = code.slice(start, statement.end);
    out += code.slice(position, start);
    position = statement.end;
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && statement.body !== undefined) {
      out += `var ${statement.name.text} = (${text});`;
    } else if (/^module\.exports\b/.test(text)) {
      exports.push(text);
    } else {
      out += text;
    }
  }
  return `${out}${code.slice(position).trimEnd()}\n${exports.join("")}\n`;
}

/**
 * The names of a module's top-level function declarations: none in a module {@link eagerFunctions} wrote.
 *
 * @example
 * ```ts
 * topLevelFunctionDeclarations("function a() {} var b = (function b() {});"); // ["a"]
 * ```
 */
export function topLevelFunctionDeclarations(code: string): string[] {
  return statementsOf(code)
    .statements.filter(ts.isFunctionDeclaration)
    .map((statement) => statement.name?.text ?? "(anonymous)");
}
