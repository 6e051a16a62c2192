// The only module of this package that imports `yaml`: every option that shapes the output is fixed here.
import { Document, parse } from "yaml";

/**
 * Serialises a plain value as one YAML 1.2 document: no line folding (`lineWidth: 0`), no `&a1`/`*a1` anchors
 * for repeated objects, keys in insertion order, an optional comment header, a final newline.
 *
 * @example
 * ```ts
 * toYaml({ name: "test" }, { header: "Generated; do not edit." }); // "# Generated; do not edit.\n\nname: test\n"
 * ```
 */
export function toYaml(value: unknown, options: { header?: string } = {}): string {
  const document = new Document(value, { aliasDuplicateObjects: false, version: "1.2" });
  if (options.header !== undefined) document.commentBefore = ` ${options.header}`;
  return document.toString({ lineWidth: 0, nullStr: "" });
}

/**
 * Parses one YAML document (tests read generated workflows back with it).
 *
 * @example
 * ```ts
 * parseYaml("name: test\n"); // { name: "test" }
 * ```
 */
export function parseYaml(text: string): unknown {
  return parse(text, { version: "1.2" });
}
