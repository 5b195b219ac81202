/**
 * Reads the XML property lists the packaging ships (dict, array, string,
 * integer, true, false), so a test can check a launchd plist without
 * macOS's plutil. Anything else is an error, which also catches a typo in
 * an element name.
 */
export type PlistValue =
  | string
  | number
  | boolean
  | PlistValue[]
  | { [key: string]: PlistValue };

export function readPlist(xml: string): PlistValue {
  const body = /<plist[^>]*>([\s\S]*)<\/plist>/.exec(xml)?.[1];
  if (body === undefined) throw new Error('not a plist: no <plist> element');
  const tokens = body.match(/<[^>]+>|[^<]+/g) ?? [];
  const reader = { tokens: tokens.filter((t) => t.trim() !== ''), at: 0 };
  const value = readValue(reader);
  if (reader.at !== reader.tokens.length) {
    throw new Error(`unexpected ${reader.tokens[reader.at]} after the value`);
  }
  return value;
}

interface Reader {
  tokens: string[];
  at: number;
}

function next(reader: Reader): string {
  const token = reader.tokens[reader.at++];
  if (token === undefined) throw new Error('the plist ends too early');
  return token;
}

function readValue(reader: Reader): PlistValue {
  const tag = next(reader);
  if (tag === '<true/>') return true;
  if (tag === '<false/>') return false;
  if (tag === '<dict>') return readDict(reader);
  if (tag === '<array>') return readArray(reader);
  if (tag === '<string>' || tag === '<integer>') {
    const text = reader.tokens[reader.at]?.startsWith('<') ? '' : next(reader);
    expectTag(reader, tag.replace('<', '</'));
    return tag === '<string>'
      ? decodeEntities(text)
      : Number.parseInt(text, 10);
  }
  throw new Error(`unsupported plist element ${tag}`);
}

function readDict(reader: Reader) {
  const dict: Record<string, PlistValue> = {};
  while (reader.tokens[reader.at] !== '</dict>') {
    expectTag(reader, '<key>');
    const key = decodeEntities(next(reader));
    expectTag(reader, '</key>');
    dict[key] = readValue(reader);
  }
  reader.at++;
  return dict;
}

function readArray(reader: Reader) {
  const items: PlistValue[] = [];
  while (reader.tokens[reader.at] !== '</array>') items.push(readValue(reader));
  reader.at++;
  return items;
}

function expectTag(reader: Reader, tag: string) {
  const found = next(reader);
  if (found !== tag) throw new Error(`expected ${tag}, found ${found}`);
}

function decodeEntities(text: string) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
