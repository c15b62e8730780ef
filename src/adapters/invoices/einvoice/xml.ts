/**
 * A small XML writer for the e-invoices: elements are built as values and serialized once, every
 * text and attribute escaped on the way out, so no value of a snapshot (a company named
 * `Smith & <Sons>`) can change the document's structure.
 */

/** An element: its qualified name, attributes and children (elements or text). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[] | string;
}

/** A child that may be left out: `undefined`, `null`, `false` and `''` (from `p.x && el(...)`) are skipped, arrays are flattened. */
export type XmlChild = XmlElement | undefined | null | false | '' | XmlChild[];

/**
 * An element with child elements; absent children are skipped.
 * @example el('cac:Country', {}, leaf('cbc:IdentificationCode', 'FR'))
 */
export function el(
  name: string,
  attrs: Record<string, string | undefined>,
  ...children: XmlChild[]
): XmlElement {
  const flat: XmlElement[] = [];
  const add = (c: XmlChild): void => {
    if (Array.isArray(c)) c.forEach(add);
    else if (c) flat.push(c);
  };
  children.forEach(add);
  return { name, attrs: defined(attrs), children: flat };
}

/**
 * An element holding text; absent (`undefined`) when the text is absent or empty, so optional
 * fields are written `leaf('cbc:Note', note)` without a condition.
 * @example leaf('cbc:ID', 'INV-2026-000001') // <cbc:ID>INV-2026-000001</cbc:ID>
 */
export function leaf(
  name: string,
  text: string | null | undefined,
  attrs: Record<string, string | undefined> = {},
): XmlElement | undefined {
  if (text === undefined || text === null || text === '') return undefined;
  return { name, attrs: defined(attrs), children: text };
}

/**
 * The document: an XML declaration and the root, indented by two spaces.
 * @example serialize(el('a', {}, leaf('b', 'x & y'))) // '<?xml ...?>\n<a>\n  <b>x &amp; y</b>\n</a>\n'
 */
export function serialize(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${write(root, '')}\n`;
}

function write(e: XmlElement, indent: string): string {
  const attrs = Object.entries(e.attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  if (typeof e.children === 'string')
    return `${indent}<${e.name}${attrs}>${escapeText(e.children)}</${e.name}>`;
  if (e.children.length === 0) return `${indent}<${e.name}${attrs}/>`;
  const inner = e.children.map((c) => write(c, `${indent}  `)).join('\n');
  return `${indent}<${e.name}${attrs}>\n${inner}\n${indent}</${e.name}>`;
}

const defined = (attrs: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(attrs).filter((a): a is [string, string] => a[1] !== undefined));

/** Whether XML 1.0 can hold a code point (C0 controls but tab, newline and return, lone surrogates and U+FFFE/F it cannot). */
const xmlChar = (c: number): boolean =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  c >= 0x10000;

/** Drops what XML cannot hold; iterating a string by code points yields a lone surrogate on its own. */
const xmlSafe = (s: string): string => {
  let out = '';
  for (const ch of s) if (xmlChar(ch.codePointAt(0)!)) out += ch;
  return out;
};

/** @example escapeText('Smith & <Sons>') // 'Smith &amp; &lt;Sons&gt;' */
export const escapeText = (s: string): string =>
  xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const escapeAttr = (s: string): string =>
  escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
