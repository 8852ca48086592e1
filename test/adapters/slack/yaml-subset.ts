// A strict parser for the small YAML subset manifest.yml uses: nested maps by two-space indents, block
// sequences of scalars or maps, plain/double-quoted scalars, booleans, comments. Anything else throws,
// so the manifest cannot drift into YAML this test would misread. (Test-only; no YAML dependency.)

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function scalar(raw: string, no: number): YamlValue {
  const s = raw.trim();
  if (s.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(s);
    if (!m) throw new Error(`line ${no}: bad quoted string`);
    return (m[1] ?? '').replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
  }
  if (s.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'$/.exec(s);
    if (!m) throw new Error(`line ${no}: bad quoted string`);
    return (m[1] ?? '').replace(/''/g, "'");
  }
  if (/^[|>&*!%@`{[]/.test(s)) throw new Error(`line ${no}: unsupported YAML syntax "${s}"`);
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null' || s === '~' || s === '') return null;
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/: |\s#/.test(s)) throw new Error(`line ${no}: ambiguous plain scalar "${s}" (quote it)`);
  return s;
}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined;
    else if (c === '#' && quote === undefined && (i === 0 || /\s/.test(text[i - 1] ?? '')))
      return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

function lines(source: string): Line[] {
  const out: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tab character`);
    const text = stripComment(raw);
    if (!text.trim()) return;
    const indent = text.length - text.trimStart().length;
    if (indent % 2 !== 0) throw new Error(`line ${i + 1}: indent must be a multiple of two`);
    out.push({ indent, text: text.trim(), no: i + 1 });
  });
  return out;
}

function parseBlock(ls: Line[], start: number, indent: number): [YamlValue, number] {
  const first = ls[start];
  if (!first || first.indent !== indent)
    throw new Error(`line ${first?.no ?? '?'}: expected indent ${indent}`);
  return first.text.startsWith('- ') || first.text === '-'
    ? parseSeq(ls, start, indent)
    : parseMap(ls, start, indent);
}

function keyValue(text: string, no: number): [string, string] {
  const m = /^([A-Za-z_][A-Za-z0-9_.-]*):(?:\s+(.*))?$/.exec(text);
  if (!m?.[1]) throw new Error(`line ${no}: expected "key: value", got "${text}"`);
  return [m[1], m[2] ?? ''];
}

function parseMap(ls: Line[], start: number, indent: number): [YamlValue, number] {
  const map: { [key: string]: YamlValue } = {};
  let i = start;
  while (i < ls.length && (ls[i]?.indent ?? -1) === indent) {
    const line = ls[i] as Line;
    if (line.text.startsWith('- ')) throw new Error(`line ${line.no}: sequence item inside a map`);
    const [key, rest] = keyValue(line.text, line.no);
    if (key in map) throw new Error(`line ${line.no}: duplicate key ${key}`);
    i += 1;
    if (rest) map[key] = scalar(rest, line.no);
    else if (i < ls.length && (ls[i]?.indent ?? 0) > indent) {
      const [value, next] = parseBlock(ls, i, indent + 2);
      map[key] = value;
      i = next;
    } else map[key] = null;
  }
  if (i < ls.length && (ls[i]?.indent ?? 0) > indent) throw new Error(`line ${ls[i]?.no}: unexpected indent`);
  return [map, i];
}

function parseSeq(ls: Line[], start: number, indent: number): [YamlValue, number] {
  const seq: YamlValue[] = [];
  let i = start;
  while (i < ls.length && (ls[i]?.indent ?? -1) === indent && (ls[i]?.text ?? '').startsWith('- ')) {
    const line = ls[i] as Line;
    const item = line.text.slice(2);
    if (/^[A-Za-z_][A-Za-z0-9_.-]*:(\s|$)/.test(item)) {
      // "- key: value" opens a map whose other keys sit two spaces deeper than the dash.
      const inner: Line[] = [{ indent: indent + 2, text: item, no: line.no }];
      let j = i + 1;
      for (; j < ls.length && (ls[j]?.indent ?? 0) > indent; j += 1) inner.push(ls[j] as Line);
      const [value, used] = parseMap(inner, 0, indent + 2);
      if (used !== inner.length)
        throw new Error(`line ${inner[used]?.no}: unexpected content in sequence item`);
      seq.push(value);
      i = j;
    } else {
      seq.push(scalar(item, line.no));
      i += 1;
    }
  }
  return [seq, i];
}

export function parseYamlSubset(source: string): YamlValue {
  const ls = lines(source);
  if (ls.length === 0) return null;
  const [value, used] = parseBlock(ls, 0, 0);
  if (used !== ls.length) throw new Error(`line ${ls[used]?.no}: unexpected content`);
  return value;
}
