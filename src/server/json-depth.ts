// A bound on JSON nesting, checked before JSON.parse: whatever walks the parsed value afterwards
// (jose's JSON.stringify among them) recurses, and 7,000 levels overflow the stack.

/** True when `text` opens more than `maxDepth` arrays or objects inside one another. Strings are skipped. */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > maxDepth) return true;
    } else if (char === '}' || char === ']') depth--;
  }
  return false;
}
