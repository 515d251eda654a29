import assert from 'node:assert/strict';

/**
 * Asserts that `svg` is well-formed XML as far as figures need: one root `<svg>`, every tag closed in
 * order, attributes quoted, no bare `&` or `<` in text. (No XML parser ships with Node.)
 */
export function assertWellFormedSvg(svg: string): void {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), 'starts with the svg root');
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let position = 0;
  let roots = 0;
  for (const match of svg.matchAll(tag)) {
    const between = svg.slice(position, match.index);
    assert.ok(!/[<>]/.test(between), `stray markup before ${match[0]}: ${between}`);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(between), `bare & in text: ${between}`);
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      assert.equal(stack.pop(), name, `closing </${name}> matches its opening tag`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name as string);
    } else if (stack.length === 0) {
      roots++;
    }
    position = (match.index ?? 0) + match[0].length;
  }
  assert.equal(svg.slice(position).trim(), '', 'nothing after the root element');
  assert.deepEqual(stack, [], 'every element closed');
  assert.equal(roots, 1, 'exactly one root element');
}

/** Values of attribute `name` on elements with `data-role="role"`, in document order. */
export function elementsWithRole(svg: string, role: string): string[] {
  return [...svg.matchAll(new RegExp(`<[a-z]+ [^>]*data-role="${role}"[^>]*>`, 'g'))].map(
    (match) => match[0],
  );
}

/** An attribute of one element's opening tag. */
export function attribute(element: string, name: string): string {
  const match = element.match(new RegExp(` ${name}="([^"]*)"`));
  assert.ok(match, `${name} on ${element}`);
  return match[1] as string;
}
