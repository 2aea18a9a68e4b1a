import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { applyPatches, indexIds, replaceHtml } from "../../src/dom_patch.js";
import { assertCase } from "../helpers/cases.js";
import { canonical, containerFrom, makeDocument } from "../helpers/dom.js";

const FIXTURES = fileURLToPath(
  new URL("../../../djust-core/tests/fixtures/patches/", import.meta.url),
);

/** Fixture-shaped cases written by hand; the golden ones come from the Rust side. */
const INLINE = [
  {
    name: "text and attr",
    before_html: '<h1 dj-id="1">Count: 0</h1><button dj-id="2" class="a" dj-click="inc">+</button>',
    after_html: '<h1 dj-id="1">Count: 1</h1><button dj-id="2" class="b" dj-click="inc">+</button>',
    patches: [
      { op: "text", d: 1, i: 0, v: "Count: 1" },
      { op: "attr", d: 2, k: "class", v: "b" },
    ],
  },
  {
    name: "keyed list: remove, move, insert",
    before_html:
      '<ul dj-id="1"><li dj-id="2" dj-key="a">A</li><li dj-id="3" dj-key="b">B</li><li dj-id="4" dj-key="c">C</li></ul>',
    after_html:
      '<ul dj-id="1"><li dj-id="4" dj-key="c">C</li><li dj-id="2" dj-key="a">A</li><li dj-id="5" dj-key="d">D</li></ul>',
    patches: [
      { op: "remove", d: 1, i: 1, n: 1 },
      { op: "move", d: 1, from: 1, to: 0 },
      { op: "insert", d: 1, i: 2, html: '<li dj-id="5" dj-key="d">D</li>' },
    ],
  },
  {
    name: "table rows, rmattr, raw text",
    before_html:
      '<table dj-id="1"><tbody dj-id="2"><tr dj-id="3"><td dj-id="4" hidden="">x</td></tr></tbody></table>',
    after_html:
      '<table dj-id="1"><tbody dj-id="2"><tr dj-id="3"><td dj-id="4">a &amp; b&fjlig;</td></tr><tr dj-id="5"><td dj-id="6">y</td></tr> </tbody></table>',
    patches: [
      { op: "insert", d: 2, i: 1, html: '<tr dj-id="5"><td dj-id="6">y</td></tr> ' },
      { op: "rmattr", d: 4, k: "hidden" },
      { op: "text", d: 4, i: 0, h: "a &amp; b&fjlig;" },
    ],
  },
  {
    name: "html clears, text inserts, whitespace counts",
    before_html: '<div dj-id="1"> <p dj-id="2">x</p> </div><p dj-id="3"><b dj-id="4">t</b></p>',
    after_html:
      '<div dj-id="1"></div><p dj-id="3"><b dj-id="4">t</b> more</p><p dj-id="7">new</p>',
    patches: [
      { op: "html", d: 1, html: "" },
      { op: "insert", d: 3, i: 1, t: " more" },
      { op: "insert", d: 0, i: 2, html: '<p dj-id="7">new</p>' },
    ],
  },
  {
    name: "html_update",
    before_html: '<p dj-id="1">a</p>',
    after_html: '<section dj-id="1"><p dj-id="2">b</p></section>',
    patches: null,
    html: '<section dj-id="1"><p dj-id="2">b</p></section>',
  },
];

describe("inline fixture-shaped cases", () => {
  for (const fixture of INLINE) {
    test(fixture.name, () => assertCase(makeDocument(), fixture, fixture.name));
  }
});

describe("golden fixtures (djust-core/tests/fixtures/patches)", () => {
  const files = existsSync(FIXTURES)
    ? readdirSync(FIXTURES).filter((file) => file.endsWith(".json")).sort()
    : [];

  test("the fixture directory holds fixtures", () => {
    assert.ok(files.length > 0, `no *.json fixtures in ${FIXTURES}`);
  });

  for (const file of files) {
    const fixture = JSON.parse(readFileSync(FIXTURES + file, "utf8"));
    test(`${file}: ${fixture.name}`, () => assertCase(makeDocument(), fixture, file));
  }
});

describe("patches that do not fit fail", () => {
  const before = '<ul dj-id="1"><li dj-id="2">a</li><li dj-id="3">b</li></ul>';
  const failing = {
    "unknown id": [{ op: "attr", d: 9, k: "class", v: "x" }],
    "unknown op": [{ op: "swap", d: 1 }],
    "text index out of range": [{ op: "text", d: 2, i: 1, v: "x" }],
    "text op on an element": [{ op: "text", d: 1, i: 0, v: "x" }],
    "insert past the end": [{ op: "insert", d: 1, i: 3, t: "x" }],
    "insert of nothing": [{ op: "insert", d: 1, i: 0 }],
    "text without a value": [{ op: "text", d: 2, i: 0 }],
    "remove past the end": [{ op: "remove", d: 1, i: 1, n: 2 }],
    "move from out of range": [{ op: "move", d: 1, from: 2, to: 0 }],
    "move to out of range": [{ op: "move", d: 1, from: 0, to: 2 }],
    "negative index": [{ op: "remove", d: 1, i: -1, n: 1 }],
    "a later patch": [
      { op: "text", d: 2, i: 0, v: "ok" },
      { op: "remove", d: 3, i: 0, n: 5 },
    ],
    "not an array": null,
    "parent with another child count": [{ op: "insert", d: 1, i: 2, t: "x", c: 3 }],
    "text in a parent with another child count": [{ op: "text", d: 2, i: 0, v: "x", c: 2 }],
  };
  for (const [name, patches] of Object.entries(failing)) {
    test(name, () => {
      const doc = makeDocument();
      const ids = indexIds(containerFrom(doc, before));
      assert.equal(applyPatches(ids, patches), false);
    });
  }

  test("a removed element can no longer be patched", () => {
    const doc = makeDocument();
    const ids = indexIds(containerFrom(doc, before));
    assert.equal(applyPatches(ids, [{ op: "remove", d: 1, i: 0, n: 1 }]), true);
    assert.equal(applyPatches(ids, [{ op: "attr", d: 2, k: "class", v: "x" }]), false);
  });
});

describe("ids", () => {
  test("d 0 is the container", () => {
    const doc = makeDocument();
    const container = containerFrom(doc, '<p dj-id="1">x</p>');
    const ids = indexIds(container);
    assert.equal(ids.get("0"), container);
    assert.equal(ids.get("1"), container.firstChild);
  });

  test("inserted and replaced subtrees are found by id", () => {
    const doc = makeDocument();
    const ids = indexIds(containerFrom(doc, '<div dj-id="1"></div>'));
    const patches = [
      { op: "html", d: 1, html: '<p dj-id="2"><b dj-id="3">x</b></p>' },
      { op: "text", d: 3, i: 0, v: "y" },
      { op: "insert", d: 2, i: 1, html: '<i dj-id="4">z</i>' },
      { op: "attr", d: 4, k: "title", v: "t" },
    ];
    assert.equal(applyPatches(ids, patches), true);
    assert.equal(
      canonical(ids.get("0")),
      canonical(containerFrom(doc, '<div dj-id="1"><p dj-id="2"><b dj-id="3">y</b><i dj-id="4" title="t">z</i></p></div>')),
    );
  });
});

describe("form properties", () => {
  const fields = '<input dj-id="1" value="a"><input dj-id="2" type="checkbox"><select dj-id="3"><option dj-id="4">x</option><option dj-id="5">y</option></select>';

  test("value, checked and selected also set the property", () => {
    const doc = makeDocument();
    const container = containerFrom(doc, fields);
    doc.body.append(container);
    const ids = indexIds(container);
    ids.get("1").value = "typed";
    ids.get("2").checked = true;
    const patches = [
      { op: "attr", d: 1, k: "value", v: "server" },
      { op: "rmattr", d: 2, k: "checked" },
      { op: "attr", d: 5, k: "selected", v: "" },
    ];
    assert.equal(applyPatches(ids, patches), true);
    assert.equal(ids.get("1").value, "server");
    assert.equal(ids.get("2").checked, false);
    assert.equal(ids.get("3").value, "y");
  });

  test("but not on the focused element", () => {
    const doc = makeDocument();
    const container = containerFrom(doc, fields);
    doc.body.append(container);
    const ids = indexIds(container);
    const input = ids.get("1");
    input.focus();
    input.value = "typed";
    assert.equal(applyPatches(ids, [{ op: "attr", d: 1, k: "value", v: "server" }]), true);
    assert.equal(input.getAttribute("value"), "server");
    assert.equal(input.value, "typed");
  });
});

describe("html replacement keeps the user's field", () => {
  test("focus, text and selection move to the element with the same dj-id", () => {
    const doc = makeDocument();
    const container = containerFrom(doc, '<input dj-id="1" value="a"><p dj-id="2">x</p>');
    doc.body.append(container);
    const ids = indexIds(container);
    const input = ids.get("1");
    input.focus();
    input.value = "hello";
    input.setSelectionRange(1, 3);
    replaceHtml(ids, '<p dj-id="2">y</p><input dj-id="1" value="a">');
    const successor = ids.get("1");
    assert.notEqual(successor, input);
    assert.equal(doc.activeElement, successor);
    assert.equal(successor.value, "hello");
    assert.deepEqual([successor.selectionStart, successor.selectionEnd], [1, 3]);
  });
});

describe("foreign content", () => {
  const before =
    '<svg dj-id="1"><g dj-id="2"></g><foreignObject dj-id="3"></foreignObject></svg><math dj-id="4"><mi dj-id="5"></mi></math>';
  const inserts = [
    { op: "insert", d: 2, i: 0, html: '<rect dj-id="6"/><foreignobject dj-id="7"></foreignobject>' },
    { op: "html", d: 3, html: '<div dj-id="8">x</div>' },
    { op: "insert", d: 4, i: 1, html: '<mn dj-id="9">2</mn>' },
    { op: "insert", d: 5, i: 0, html: '<b dj-id="10">x</b>' },
  ];
  const after =
    '<svg dj-id="1"><g dj-id="2"><rect dj-id="6"/><foreignObject dj-id="7"></foreignObject></g><foreignObject dj-id="3"><div dj-id="8">x</div></foreignObject></svg>' +
    '<math dj-id="4"><mi dj-id="5"><b dj-id="10">x</b></mi><mn dj-id="9">2</mn></math>';

  test("children parse in their parent's namespace", () => {
    const fixture = { before_html: before, after_html: after, patches: inserts };
    assertCase(makeDocument(), fixture, "foreign content");
    const doc = makeDocument();
    const ids = indexIds(containerFrom(doc, before));
    applyPatches(ids, inserts);
    const namespaces = ["6", "7", "8", "9", "10"].map((id) => ids.get(id).namespaceURI.split("/").at(-1));
    assert.deepEqual(namespaces, ["svg", "svg", "xhtml", "MathML", "xhtml"]);
  });
});

describe("trees that part are refused, not patched", () => {
  test("a child count the server did not expect refuses the patch and logs it", (t) => {
    const doc = makeDocument();
    const ids = indexIds(containerFrom(doc, '<ul dj-id="1"><li dj-id="2">a</li><li dj-id="3">b</li></ul>'));
    // The page's tree nests the second item inside the first (the server's has siblings).
    ids.get("2").append(ids.get("3"));
    const warn = t.mock.method(console, "warn", () => {});
    assert.equal(applyPatches(ids, [{ op: "insert", d: 1, i: 2, html: '<li dj-id="4">c</li>', c: 2 }]), false);
    assert.equal(ids.get("1").children.length, 1, "nothing applied");
    assert.equal(warn.mock.callCount(), 1);
    assert.match(warn.mock.calls[0].arguments[0], /<ul dj-id=1> has 1 children, the server's 2/);
  });
});

describe("template content", () => {
  test("ops on a <template> change its content, and ids inside it are found", () => {
    const doc = makeDocument();
    const ids = indexIds(containerFrom(doc, '<template dj-id="1"><p dj-id="2">a</p></template>'));
    assert.ok(ids.get("2"), "an id inside template content is indexed");
    const ok = applyPatches(ids, [
      { op: "insert", d: 1, i: 1, html: '<tr dj-id="3"><td dj-id="4">x</td></tr>', c: 1 },
      { op: "text", d: 2, i: 0, v: "b", c: 1 },
    ]);
    assert.equal(ok, true);
    const template = ids.get("1");
    assert.equal(template.childNodes.length, 0);
    assert.equal(template.innerHTML, '<p dj-id="2">b</p><tr dj-id="3"><td dj-id="4">x</td></tr>');
  });
});

describe("foreign attributes", () => {
  test("SVG attributes keep their case and xlink:href its namespace", () => {
    const doc = makeDocument();
    const ids = indexIds(containerFrom(doc, '<svg dj-id="1"><use dj-id="2"></use></svg>'));
    assert.equal(
      applyPatches(ids, [
        { op: "attr", d: 1, k: "viewBox", v: "0 0 10 10" },
        { op: "attr", d: 2, k: "xlink:href", v: "#a" },
      ]),
      true,
    );
    assert.equal(ids.get("1").getAttribute("viewBox"), "0 0 10 10");
    assert.equal(ids.get("2").getAttributeNS("http://www.w3.org/1999/xlink", "href"), "#a");
  });
});
