/** Parses XML into a small element tree with saxes (well-formedness errors throw), for checking feed structure. */
import { SaxesParser } from 'saxes';

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

export function parseXml(xml: string): El {
  const parser = new SaxesParser({ xmlns: false });
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  parser.on('opentag', (t) => {
    const el: El = { name: t.name, attrs: Object.fromEntries(Object.entries(t.attributes).map(([k, v]) => [k, String(v)])), children: [], text: '' };
    stack[stack.length - 1].children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (t) => (stack[stack.length - 1].text += t));
  parser.on('cdata', (t) => (stack[stack.length - 1].text += t));
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  if (root.children.length !== 1) throw new Error('expected one root element');
  return root.children[0];
}

export function child(el: El, name: string): El | undefined {
  return el.children.find((c) => c.name === name);
}
export function children(el: El, name: string): El[] {
  return el.children.filter((c) => c.name === name);
}
