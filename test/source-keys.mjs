// Every key the SDK's source could read from an object, found by a scan of src/: property names
// (`a.key`, `{ key }`, destructuring), and every string literal, since any of them may be a computed key.
import { readFileSync, readdirSync } from 'node:fs';
import ts from 'typescript';

const SRC = new URL('../src/', import.meta.url);

function* sourceFiles(dir = SRC) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory()) yield* sourceFiles(url);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield url;
  }
}

/** The keys, sorted; `__proto__` is left out (Object.prototype cannot be given a property of that name). */
export function sourceKeys() {
  const keys = new Set();
  for (const url of sourceFiles()) {
    const source = ts.createSourceFile(url.pathname, readFileSync(url, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node) => {
      if (ts.isPropertyAccessExpression(node)) keys.add(node.name.text);
      else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (node.text.length > 0 && node.text.length <= 64) keys.add(node.text);
      } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isMethodDeclaration(node) ||
        ts.isBindingElement(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) && node.name && ts.isIdentifier(node.name)) {
        keys.add(node.name.text);
      }
      if (ts.isBindingElement(node) && node.propertyName && ts.isIdentifier(node.propertyName)) keys.add(node.propertyName.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  keys.delete('__proto__');
  return [...keys].sort();
}
