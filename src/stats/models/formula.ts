import { FormulaError } from '../errors.ts';

/**
 * A variable as a formula names it: a column (`age`), a transformed column (`factor(race)`, `log(cost)`).
 * `label` is R's deparsed text, used in term and column names.
 */
export interface FormulaVariable {
  readonly label: string;
  readonly column: string;
  readonly transform: VariableTransform;
}

export type VariableTransform = 'none' | 'factor' | 'log' | 'sqrt' | 'exp';

/** The left-hand side: a variable, or `Surv(time, event)`. */
export type FormulaResponse =
  | { readonly kind: 'variable'; readonly variable: FormulaVariable }
  | {
      readonly kind: 'survival';
      readonly time: FormulaVariable;
      readonly event: FormulaVariable;
      readonly label: string;
    };

/** A term: the variables it multiplies, as indices into `Formula.variables`, in ascending order. */
export interface FormulaTerm {
  readonly label: string;
  readonly variables: readonly number[];
}

/**
 * A parsed model formula as R's `terms()` sees it: the response, the right-hand-side variables in order
 * of first appearance, the terms ordered by degree (main effects, then two-way interactions, ...), and
 * whether there is an intercept.
 */
export interface Formula {
  readonly text: string;
  readonly response: FormulaResponse | undefined;
  readonly variables: readonly FormulaVariable[];
  readonly terms: readonly FormulaTerm[];
  readonly hasIntercept: boolean;
}

type Node =
  | { kind: 'variable'; variable: FormulaVariable }
  | { kind: 'number'; value: number }
  | { kind: 'dot' }
  | { kind: 'binary'; operator: '+' | '-' | ':' | '*' | '/' | '^'; left: Node; right: Node }
  | { kind: 'negate'; operand: Node }
  | { kind: 'survival'; time: FormulaVariable; event: FormulaVariable };

const TRANSFORMS: Record<string, VariableTransform> = {
  factor: 'factor',
  'as.factor': 'factor',
  log: 'log',
  sqrt: 'sqrt',
  exp: 'exp',
};

/**
 * Parses a model formula in R syntax: `y ~ a + b`, `factor(x)`, `a * b`, `a:b`, `a / b`, `(a + b)^2`,
 * `- 1` or `+ 0` (no intercept), `Surv(time, event) ~ ...`, `~ 1`, and `.` (every other column, given
 * `columnNames`). Terms come out as R's `terms.formula` orders them (by degree, then appearance).
 * @throws FormulaError naming the position of a syntax error, or an unsupported function.
 * @example parseFormula('y ~ a * b').terms.map((term) => term.label) // ['a', 'b', 'a:b']
 */
export function parseFormula(text: string, columnNames: readonly string[] = []): Formula {
  // Models are refitted with the same formula (bootstraps, simulations, benchmarks): parsing costs about as
  // much as building the model frame for a few hundred rows, so parsed formulas are kept. The key includes
  // the column names because `.` expands to them. A Formula is never modified after parsing.
  const key = `${text}\u0000${columnNames.join('\u0000')}`;
  const cached = parsedFormulas.get(key);
  if (cached !== undefined) return cached;
  const formula = parseFormulaText(text, columnNames);
  if (parsedFormulas.size >= PARSED_FORMULA_LIMIT) {
    parsedFormulas.delete(parsedFormulas.keys().next().value as string);
  }
  parsedFormulas.set(key, formula);
  return formula;
}

/** Most parsed formulas kept by {@link parseFormula} (the oldest is dropped first). */
const PARSED_FORMULA_LIMIT = 64;
const parsedFormulas = new Map<string, Formula>();

function parseFormulaText(text: string, columnNames: readonly string[]): Formula {
  const parser = new Parser(text);
  const { lhs, rhs } = parser.parseFormula();
  const response = lhs === undefined ? undefined : toResponse(lhs, text);
  const responseColumns = new Set(
    response === undefined
      ? []
      : response.kind === 'variable'
        ? [response.variable.column]
        : [response.time.column, response.event.column],
  );
  const variables: FormulaVariable[] = [];
  const expanded = expand(rhs, variables, columnNames, responseColumns, text);
  const terms = orderTerms(expanded.terms).map((bits) => {
    const indices = bitsToIndices(bits);
    return {
      label: indices.map((index) => (variables[index] as FormulaVariable).label).join(':'),
      variables: indices,
    };
  });
  return { text, response, variables, terms, hasIntercept: expanded.intercept !== 'remove' };
}

function toResponse(node: Node, text: string): FormulaResponse {
  if (node.kind === 'survival') {
    return {
      kind: 'survival',
      time: node.time,
      event: node.event,
      label: `Surv(${node.time.label}, ${node.event.label})`,
    };
  }
  if (node.kind === 'variable') return { kind: 'variable', variable: node.variable };
  throw new FormulaError(
    `a formula requires a single variable or Surv(time, event) on the left of ~ (got "${text.split('~')[0]?.trim()}")`,
  );
}

/** Terms of a sub-expression and what it says of the intercept (`+ 1`, `- 1`, `+ 0`, or nothing). */
interface TermSet {
  terms: bigint[];
  intercept: 'add' | 'remove' | undefined;
}

function expand(
  node: Node,
  variables: FormulaVariable[],
  columnNames: readonly string[],
  excluded: ReadonlySet<string>,
  text: string,
): TermSet {
  const recurse = (child: Node) => expand(child, variables, columnNames, excluded, text);
  switch (node.kind) {
    case 'variable':
      return { terms: [1n << BigInt(variableIndex(variables, node.variable))], intercept: undefined };
    case 'dot': {
      const terms = columnNames
        .filter((name) => !excluded.has(name))
        .map(
          (name) =>
            1n <<
            BigInt(variableIndex(variables, { label: backquote(name), column: name, transform: 'none' })),
        );
      return { terms, intercept: undefined };
    }
    case 'number':
      if (node.value === 1) return { terms: [], intercept: 'add' };
      if (node.value === 0) return { terms: [], intercept: 'remove' };
      throw new FormulaError(`a formula term requires a variable, 0 or 1 (got the number ${node.value})`);
    case 'negate': {
      const operand = recurse(node.operand);
      return {
        terms: [],
        intercept:
          operand.intercept === 'add' ? 'remove' : operand.intercept === 'remove' ? 'add' : undefined,
      };
    }
    case 'survival':
      throw new FormulaError('a formula allows Surv(time, event) only on the left of ~');
    case 'binary': {
      const left = recurse(node.left);
      const right: TermSet =
        node.operator === '^' ? { terms: [], intercept: undefined } : recurse(node.right);
      return expandBinary(node.operator, left, right, node, text);
    }
  }
}

function expandBinary(operator: string, left: TermSet, right: TermSet, node: Node, text: string): TermSet {
  switch (operator) {
    case '+':
      return { terms: union(left.terms, right.terms), intercept: right.intercept ?? left.intercept };
    case '-': {
      const removed = new Set(right.terms);
      const flipped = right.intercept === 'add' ? 'remove' : right.intercept === 'remove' ? 'add' : undefined;
      return { terms: left.terms.filter((term) => !removed.has(term)), intercept: flipped ?? left.intercept };
    }
    case ':':
      return { terms: interact(left.terms, right.terms), intercept: undefined };
    case '*':
      return {
        terms: union(union(left.terms, right.terms), interact(left.terms, right.terms)),
        intercept: undefined,
      };
    case '/': {
      const all = left.terms.reduce((accumulated, term) => accumulated | term, 0n);
      return {
        terms: union(
          left.terms,
          right.terms.map((term) => term | all),
        ),
        intercept: undefined,
      };
    }
    case '^': {
      const rightNode = (node as { right: Node }).right;
      if (rightNode.kind !== 'number' || !Number.isInteger(rightNode.value) || rightNode.value < 1) {
        throw new FormulaError(`a formula requires a positive whole number after ^ (got "${text}")`);
      }
      let terms = left.terms;
      for (let power = 1; power < rightNode.value; power++) {
        terms = union(terms, interact(terms, left.terms));
      }
      return { terms, intercept: undefined };
    }
    default:
      throw new FormulaError(`a formula does not support the operator ${operator}`);
  }
}

function union(left: readonly bigint[], right: readonly bigint[]): bigint[] {
  const result = [...left];
  for (const term of right) if (!result.includes(term)) result.push(term);
  return result;
}

function interact(left: readonly bigint[], right: readonly bigint[]): bigint[] {
  const result: bigint[] = [];
  for (const a of left) {
    for (const b of right) {
      const term = a | b;
      if (!result.includes(term)) result.push(term);
    }
  }
  return result;
}

function orderTerms(terms: readonly bigint[]): bigint[] {
  return terms
    .map((term, position) => ({ term, position, degree: bitsToIndices(term).length }))
    .sort((a, b) => a.degree - b.degree || a.position - b.position)
    .map((entry) => entry.term);
}

function bitsToIndices(bits: bigint): number[] {
  const indices: number[] = [];
  for (let index = 0; bits >> BigInt(index) > 0n; index++) {
    if ((bits >> BigInt(index)) & 1n) indices.push(index);
  }
  return indices;
}

function variableIndex(variables: FormulaVariable[], variable: FormulaVariable): number {
  const existing = variables.findIndex((candidate) => candidate.label === variable.label);
  if (existing >= 0) return existing;
  variables.push(variable);
  return variables.length - 1;
}

function backquote(name: string): string {
  return /^[A-Za-z.][A-Za-z0-9._]*$/.test(name) ? name : `\`${name}\``;
}

type Token =
  | { kind: 'name'; text: string; position: number }
  | { kind: 'number'; value: number; position: number }
  | { kind: 'symbol'; text: string; position: number }
  | { kind: 'end'; position: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const character = text[position] as string;
    if (/\s/.test(character)) {
      position++;
    } else if (character === '`') {
      const close = text.indexOf('`', position + 1);
      if (close < 0) throw syntaxError(text, position, 'a closing backquote');
      tokens.push({ kind: 'name', text: text.slice(position + 1, close), position });
      position = close + 1;
    } else if (/[0-9]/.test(character) || (character === '.' && /[0-9]/.test(text[position + 1] ?? ''))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(position)) as RegExpExecArray;
      tokens.push({ kind: 'number', value: Number(match[0]), position });
      position += match[0].length;
    } else if (/[A-Za-z._]/.test(character)) {
      const match = /^[A-Za-z._][A-Za-z0-9._]*/.exec(text.slice(position)) as RegExpExecArray;
      tokens.push(
        match[0] === '.'
          ? { kind: 'symbol', text: '.', position }
          : { kind: 'name', text: match[0], position },
      );
      position += match[0].length;
    } else if ('~+-:*/^(),'.includes(character)) {
      tokens.push({ kind: 'symbol', text: character, position });
      position++;
    } else {
      throw syntaxError(text, position, 'a variable, operator or parenthesis');
    }
  }
  tokens.push({ kind: 'end', position: text.length });
  return tokens;
}

function syntaxError(text: string, position: number, expectation: string): FormulaError {
  const found =
    position >= text.length ? 'the end of the formula' : `"${text.slice(position, position + 12)}"`;
  return new FormulaError(
    `formula "${text}" requires ${expectation} at character ${position + 1} (got ${found})`,
  );
}

/** Recursive descent with R's precedence: `~` < `+ -` < `* /` < `:` < `^` < unary minus. */
class Parser {
  private readonly tokens: Token[];
  private index = 0;
  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseFormula(): { lhs: Node | undefined; rhs: Node } {
    if (!this.tokens.some((token) => token.kind === 'symbol' && token.text === '~')) {
      throw new FormulaError(`a formula requires ~ between the response and the terms (got "${this.text}")`);
    }
    const lhs = this.isSymbol('~') ? undefined : this.parseSum();
    this.expectSymbol('~');
    const rhs = this.parseSum();
    const next = this.peek();
    if (next.kind !== 'end')
      throw syntaxError(this.text, next.position, 'an operator or the end of the formula');
    return { lhs, rhs };
  }

  private parseSum(): Node {
    let node = this.parseProduct();
    while (this.isSymbol('+') || this.isSymbol('-')) {
      const operator =
        this.take().kind === 'symbol' ? (this.tokens[this.index - 1] as { text: '+' | '-' }).text : '+';
      node = { kind: 'binary', operator, left: node, right: this.parseProduct() };
    }
    return node;
  }

  private parseProduct(): Node {
    let node = this.parseInteraction();
    while (this.isSymbol('*') || this.isSymbol('/')) {
      const operator = (this.take() as { text: '*' | '/' }).text;
      node = { kind: 'binary', operator, left: node, right: this.parseInteraction() };
    }
    return node;
  }

  private parseInteraction(): Node {
    let node = this.parsePower();
    while (this.isSymbol(':')) {
      this.take();
      node = { kind: 'binary', operator: ':', left: node, right: this.parsePower() };
    }
    return node;
  }

  private parsePower(): Node {
    const node = this.parseUnary();
    if (this.isSymbol('^')) {
      this.take();
      return { kind: 'binary', operator: '^', left: node, right: this.parseUnary() };
    }
    return node;
  }

  private parseUnary(): Node {
    if (this.isSymbol('-')) {
      this.take();
      return { kind: 'negate', operand: this.parseUnary() };
    }
    if (this.isSymbol('+')) {
      this.take();
      return this.parseUnary();
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Node {
    const token = this.take();
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind === 'symbol' && token.text === '.') return { kind: 'dot' };
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = this.parseSum();
      this.expectSymbol(')');
      return inner;
    }
    if (token.kind === 'name') {
      if (!this.isSymbol('(')) return { kind: 'variable', variable: plainVariable(token.text) };
      return this.parseCall(token.text, token.position);
    }
    throw syntaxError(this.text, token.position, 'a variable, a number or "("');
  }

  private parseCall(name: string, position: number): Node {
    this.expectSymbol('(');
    if (name === 'Surv') {
      const time = this.parseArgumentVariable();
      this.expectSymbol(',');
      const event = this.parseArgumentVariable();
      this.expectSymbol(')');
      return { kind: 'survival', time, event };
    }
    const transform = TRANSFORMS[name];
    if (transform === undefined) {
      throw new FormulaError(
        `a formula supports the functions ${Object.keys(TRANSFORMS).join(', ')} and Surv (got "${name}(" at character ${position + 1})`,
      );
    }
    const argument = this.parseArgumentVariable();
    this.expectSymbol(')');
    return {
      kind: 'variable',
      variable: { label: `${name}(${argument.label})`, column: argument.column, transform },
    };
  }

  private parseArgumentVariable(): FormulaVariable {
    const token = this.take();
    if (token.kind !== 'name') throw syntaxError(this.text, token.position, 'a column name');
    return plainVariable(token.text);
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isSymbol(text: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === text;
  }

  private expectSymbol(text: string): void {
    const token = this.peek();
    if (!this.isSymbol(text)) throw syntaxError(this.text, token.position, `"${text}"`);
    this.take();
  }
}

function plainVariable(column: string): FormulaVariable {
  return { label: backquote(column), column, transform: 'none' };
}
