/**
 * An HTML-aware scanner for the service worker: finds the first top-level `<main>` of a page
 * and splits the page into a shell (that `<main>` emptied, its attributes kept) and the
 * content. Same rules as the server's `djust_core::vdom::landmarks::find_main`: markup inside
 * comments, CDATA, `<script>`, `<style>`, `<textarea>`, `<title>` (and the other raw-text
 * elements) or attribute values is not a tag; `<main>` inside `<svg>`/`<math>` is a foreign
 * element; a `<main>` nested in the first one is part of its content; names are
 * case-insensitive.
 *
 * A classic script (the worker loads it with `importScripts`): it defines
 * `self.djustHtmlScan`.
 */
(function (scope) {
  "use strict";

  /** Elements whose content is text up to their end tag (in HTML content). */
  const RAW_TEXT = new Set(["script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"]);
  const NAME_END = /[\s/>]/;
  const WHITESPACE = /\s/;
  const { SHELL_ATTR } = scope.djustConstants;
  /** The placeholder attributes, with their values, as a page could already carry them. */
  const SHELL_ATTRIBUTES = new RegExp(
    `\\s+(?:${SHELL_ATTR.PLACEHOLDER}|${SHELL_ATTR.VERSION})(?:\\s*=\\s*(?:"[^"]*"|'[^']*'|[^\\s>]*))?`,
    "gi",
  );

  /** Index of `needle` in `html` from `from`, or the end of `html`. */
  function indexOrEnd(html, needle, from) {
    const i = html.indexOf(needle, from);
    return i < 0 ? html.length : i;
  }

  /** End of a comment starting at `at` (`<!--`): one past its `-->`. */
  function commentEnd(html, at) {
    const start = at + 4;
    if (html.startsWith(">", start)) return start + 1; // `<!-->`
    if (html.startsWith("->", start)) return start + 2; // `<!--->`
    const close = html.indexOf("-->", start);
    return close < 0 ? html.length : close + 3;
  }

  /**
   * Reads the tag at `at` (`<name` or `</name`): its lower-case name, where its attributes
   * start and where it ends (one past `>`), skipping quoted attribute values. `null` when
   * the input ends inside the tag.
   */
  function readTag(html, at, closing) {
    let i = at + (closing ? 2 : 1);
    const nameStart = i;
    while (i < html.length && !NAME_END.test(html[i])) i += 1;
    const name = html.slice(nameStart, i).toLowerCase();
    const attrsStart = i;
    let quote = null;
    let afterEquals = false;
    for (; i < html.length; i += 1) {
      const ch = html[i];
      if (quote) {
        if (ch === quote) quote = null;
      } else if (ch === ">") {
        const selfClosing = html[i - 1] === "/" && i - 1 >= attrsStart;
        return { name, attrsStart, attrsEnd: selfClosing ? i - 1 : i, end: i + 1, selfClosing };
      } else if ((ch === '"' || ch === "'") && afterEquals) {
        quote = ch;
      }
      if (!quote && !WHITESPACE.test(ch)) afterEquals = ch === "=";
    }
    return null;
  }

  /** Where the end tag `</name` closing raw text that starts at `from` begins. */
  function rawTextEnd(html, name, from) {
    const close = new RegExp(`</${name}(?=[\\s/>]|$)`, "gi");
    close.lastIndex = from;
    const match = close.exec(html);
    return match ? match.index : html.length;
  }

  /**
   * Where the first top-level `<main>` of `html` is, or `null`:
   * `{start, openEnd, innerEnd, end, attributes}` — the start tag spans `start..openEnd`, the
   * content `openEnd..innerEnd`, the end tag `innerEnd..end` (empty when the document closes
   * `<main>` implicitly); `attributes` is the start tag's attribute text as written.
   */
  function findMain(html) {
    let i = 0;
    let foreign = 0;
    let depth = 0;
    let found = null;
    while (i < html.length) {
      const lt = html.indexOf("<", i);
      if (lt < 0) break;
      i = lt;
      const next = html[i + 1] ?? "";
      if (html.startsWith("<!--", i)) {
        i = commentEnd(html, i);
      } else if (html.startsWith("<![CDATA[", i) && foreign > 0) {
        i = indexOrEnd(html, "]]>", i + 9) + 3;
      } else if (next === "!" || next === "?") {
        i = indexOrEnd(html, ">", i) + 1; // doctype, bogus comment, CDATA in HTML content
      } else if (next === "/") {
        if (!/[A-Za-z]/.test(html[i + 2] ?? "")) {
          i = html[i + 2] === ">" ? i + 3 : indexOrEnd(html, ">", i) + 1;
          continue;
        }
        const tag = readTag(html, i, true);
        if (!tag) break;
        if (foreign > 0 && (tag.name === "svg" || tag.name === "math")) {
          foreign -= 1;
        } else if (foreign === 0 && depth > 0 && tag.name === "main") {
          depth -= 1;
          if (depth === 0) return { ...found, innerEnd: i, end: tag.end };
        } else if (depth > 0 && (tag.name === "body" || tag.name === "html")) {
          return { ...found, innerEnd: i, end: i };
        }
        i = tag.end;
      } else if (/[A-Za-z]/.test(next)) {
        const tag = readTag(html, i, false);
        if (!tag) break;
        const start = i;
        i = tag.end;
        if (tag.name === "svg" || tag.name === "math") {
          if (!tag.selfClosing) foreign += 1;
        } else if (foreign === 0) {
          if (tag.name === "main") {
            depth += 1;
            if (!found) {
              const attributes = html.slice(tag.attrsStart, tag.attrsEnd);
              found = { start, openEnd: tag.end, attributes };
            }
          } else if (RAW_TEXT.has(tag.name)) {
            i = rawTextEnd(html, tag.name, i);
          }
        }
      } else {
        i += 1; // a `<` that opens nothing is text
      }
    }
    return found ? { ...found, innerEnd: html.length, end: html.length } : null;
  }

  /** Escapes a value for a double-quoted attribute. */
  function escapeAttribute(value) {
    return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  /** Removes the placeholder attributes a page could already carry. */
  function withoutShellAttributes(attributes) {
    return attributes.replace(SHELL_ATTRIBUTES, "");
  }

  /**
   * Splits `html` at its first top-level `<main>`: `{shell, main}` where `main` is the inner
   * HTML and `shell` the page with that `<main>` emptied, its own attributes kept, plus
   * `data-djust-shell-placeholder="1"` (and `data-djust-shell-version` when `version` is
   * given). Both `null` when there is no `<main>`.
   */
  function splitShellAndMain(html, version) {
    const main = findMain(html);
    if (!main) return { shell: null, main: null };
    const attributes = withoutShellAttributes(main.attributes).replace(/\s+$/, "");
    const versionAttribute =
      version == null ? "" : ` ${SHELL_ATTR.VERSION}="${escapeAttribute(version)}"`;
    const placeholder = `<main${attributes} ${SHELL_ATTR.PLACEHOLDER}="1"${versionAttribute}></main>`;
    return {
      shell: html.slice(0, main.start) + placeholder + html.slice(main.end),
      main: html.slice(main.openEnd, main.innerEnd),
    };
  }

  scope.djustHtmlScan = Object.freeze({ findMain, splitShellAndMain });
})(typeof self !== "undefined" ? self : globalThis);
