/**
 * Just enough XML for the e-invoice tests to read what tollgate writes (no DTD, no CDATA, no
 * processing instruction but the declaration): elements with their prefixed names, attributes and
 * text, entities decoded. A document it cannot read fails the test, which is the point: an ERP
 * cannot read it either.
 */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
}

const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()]!;
  });

/** Parses a document; throws on anything malformed (an unclosed or mismatched tag, a raw `<` or `&`). */
export function parseXml(xml: string): XNode {
  const body = xml.replace(/^\uFEFF?<\?xml[^?]*\?>/, '');
  const token = /<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: XNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XNode[] = [root];
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    m = token.exec(body);
    if (!m) throw new Error(`malformed XML at ${at}: ${body.slice(at, at + 40)}`);
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
      const node: XNode = { name: m[2], attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    } else {
      const t = m[5]!;
      if (/&(?!(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);)/i.test(t)) throw new Error(`raw & in text: ${t}`);
      top.text += decode(t);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (root.children.length !== 1) throw new Error('a document has one root');
  return root.children[0]!;
}

/**
 * Every element at a path of child names under `node` (`*` matches any name; a step `a[b=v]`
 * keeps the `a` whose child `b` says `v`; `@attr` as the last step gives attribute values).
 * @example all(doc, 'cac:TaxTotal/cbc:TaxAmount')
 */
export function all(node: XNode, path: string): XNode[] {
  let level = [node];
  for (const step of path.split('/')) {
    const m = /^([\w:*.-]+)(?:\[([\w:.-]+)=([^\]]*)\])?$/.exec(step);
    if (!m) throw new Error(`bad step ${step}`);
    const [, name, child, value] = m;
    level = level
      .flatMap((n) => n.children)
      .filter(
        (c) =>
          (name === '*' || c.name === name) &&
          (!child || c.children.some((g) => g.name === child && g.text === value)),
      );
  }
  return level;
}

/** The text of the one element at `path`; throws when there is none or several. */
export function one(node: XNode, path: string): string {
  const found = all(node, path);
  if (found.length !== 1) throw new Error(`${path}: ${found.length} elements`);
  return found[0]!.text;
}

/** The texts at `path` (none: []). */
export const texts = (node: XNode, path: string): string[] => all(node, path).map((n) => n.text);
