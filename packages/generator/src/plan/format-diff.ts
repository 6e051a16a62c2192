import { plural } from "@flux-fleet/validate";
import type { BuildError, ObjectChange, SpokeChange } from "./diff-views.ts";
import { objectKey } from "./spoke-view.ts";

/** The hidden first line of the `--markdown` form, by which CI finds the comment it posted before. */
export const DIFF_COMMENT_MARKER = "<!-- flux-fleet-diff -->";

/** How long the `--markdown` form may grow: GitHub refuses a comment over 65,536 characters. */
export const MARKDOWN_LIMIT = 60_000;

const SIGNS = { added: "+", removed: "-", modified: "~" } as const;

function show(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

/** An object's line and the lines of its changed fields, indented as in the text form. */
function objectLines(object: ObjectChange): string[] {
  return [
    `    ${SIGNS[object.change]} ${objectKey(object)}`,
    ...(object.fields ?? []).map((field) => `        ${field.path}: ${show(field.before)} → ${show(field.after)}`),
  ];
}

/** A spoke's changes, layer by layer: each object under the layer it is in, once per layer. */
function spokeLines(objects: readonly ObjectChange[]): string[][] {
  let layer: string | undefined;
  return objects.map((object) => {
    const head = object.layer !== layer ? [`  ${(layer = object.layer)}`] : [];
    return [...head, ...objectLines(object)];
  });
}

function summaryLine(spokes: readonly SpokeChange[]): string {
  const changed = spokes.filter((s) => s.changed).length;
  const unchanged = spokes.length - changed;
  return changed === 0
    ? `No changes: ${plural(unchanged, "spoke")} unchanged.`
    : `${plural(changed, "spoke")} changed, ${plural(unchanged, "spoke")} unchanged.`;
}

function errorLine(error: BuildError): string {
  return `Not compared: layer ${error.layer} of spoke ${error.spoke} does not build in the ${error.revision}: ${error.message}`;
}

/**
 * The human form of a diff: the changed spokes, layer by layer, then one line for the unchanged ones and one per
 * layer that was not compared.
 *
 * @example
 * ```ts
 * out(formatDiff(base, "HEAD", diffViews(before, after)));
 * ```
 */
export function formatDiff(base: string, ref: string, spokes: readonly SpokeChange[], errors: readonly BuildError[] = []): string {
  const lines = [`Comparing ${base.slice(0, 12)} (${ref}) with the working tree.`];
  for (const spoke of spokes.filter((s) => s.changed)) lines.push("", spoke.name, ...spokeLines(spoke.objects).flat());
  lines.push("", summaryLine(spokes), ...errors.map(errorLine));
  return `${lines.join("\n")}\n`;
}

export interface MarkdownOptions {
  /** The most characters the body may have; default {@link MARKDOWN_LIMIT}. */
  limit?: number;
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A code fence longer than any run of backticks in the text, so that no value can close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** How many layers that do not build the `--markdown` form names. */
const MAX_ERRORS = 20;

function section(spoke: string, objects: number, body: string): string {
  const fence = fenceFor(body);
  return `<details><summary>${escapeHtml(spoke)} (${plural(objects, "object")} changed)</summary>\n\n${fence}\n${body}${fence}\n\n</details>\n`;
}

/**
 * The diff as a pull-request comment: a hidden marker line ({@link DIFF_COMMENT_MARKER}), a heading with the base
 * commit, the summary line, then one collapsible section per changed spoke with its changes layer by layer (Secret
 * data hidden, as in the text form). It stays under `limit` characters: spokes, then objects, that do not fit are
 * left out, and a closing line counts them.
 *
 * @example
 * ```ts
 * const body = formatDiffMarkdown(base, diffViews(before, after)); // "<!-- flux-fleet-diff -->\n### …"
 * ```
 */
export function formatDiffMarkdown(
  base: string,
  spokes: readonly SpokeChange[],
  errors: readonly BuildError[] = [],
  options: MarkdownOptions = {},
): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const changed = spokes.filter((s) => s.changed);
  let head = `${DIFF_COMMENT_MARKER}\n### Fleet diff against \`${base.slice(0, 12)}\`\n\n**${summaryLine(spokes)}**\n`;
  if (errors.length > 0) {
    // Each on one line, and at most MAX_ERRORS of them: kustomize's messages run over many lines.
    const lines = errors
      .slice(0, MAX_ERRORS)
      .map((error) => errorLine({ ...error, message: error.message.trim().split("\n")[0]!.slice(0, 300) }));
    if (errors.length > MAX_ERRORS) lines.push(`… ${plural(errors.length - MAX_ERRORS, "more layer")} not compared`);
    const text = `${lines.join("\n")}\n`;
    const fence = fenceFor(text);
    head += `\n${fence}\n${text}${fence}\n`;
  }
  // Room for the closing line, whatever it counts.
  const closingRoom = 200;
  let used = head.length;
  const sections: string[] = [];
  let spokesLeft = 0;
  let objectsOfSpokesLeft = 0;
  let objectsLeft = 0;
  for (const spoke of changed) {
    const groups = spokeLines(spoke.objects);
    const room = limit - closingRoom - used;
    let body = "";
    let shown = 0;
    for (const group of groups) {
      const text = `${group.join("\n")}\n`;
      // An object that would cross the limit ends this spoke; the note counting the rest must still fit.
      const more = shown + 1 < groups.length ? `    … ${plural(groups.length - shown - 1, "more object")}\n` : "";
      if (section(spoke.name, spoke.objects.length, body + text + more).length + 1 > room) break;
      body += text;
      shown++;
    }
    if (shown === 0) {
      spokesLeft++;
      objectsOfSpokesLeft += groups.length;
      continue;
    }
    if (shown < groups.length) {
      body += `    … ${plural(groups.length - shown, "more object")}\n`;
      objectsLeft += groups.length - shown;
    }
    const text = `\n${section(spoke.name, spoke.objects.length, body)}`;
    sections.push(text);
    used += text.length;
  }
  const parts = [head, ...sections];
  if (spokesLeft > 0 || objectsLeft > 0) {
    const what = [
      ...(spokesLeft > 0 ? [`${plural(spokesLeft, "spoke")} with ${plural(objectsOfSpokesLeft, "changed object")}`] : []),
      ...(objectsLeft > 0 ? [`${plural(objectsLeft, "changed object")} of the spokes above`] : []),
    ].join(", and ");
    parts.push(
      `\n_Left out to stay under ${limit.toLocaleString("en-US")} characters: ${what}. Run \`flux-fleet diff --base ${base.slice(0, 12)}\` for all of it._\n`,
    );
  }
  return parts.join("");
}
