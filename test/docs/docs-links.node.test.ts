/// <reference types="node" />
// Every relative link in the README, ARCHITECTURE.md, the CHANGELOG and docs/*.md reaches a file
// that exists and, when it names an anchor, a heading of that file, as GitHub spells its anchors.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';

const pages = ['README.md', 'ARCHITECTURE.md', 'CHANGELOG.md', ...readdirSync('docs').filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The lines of a markdown text, those in fenced code blocks blanked: a `# comment` there is no heading, `a[i](x)` no link. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) return line;
    return '';
  });
}

/** GitHub's anchors for the headings: lower case, punctuation but '-' and '_' dropped, spaces to '-'; a repeat gets -1, -2… */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    found.add(repeats ? `${slug}-${repeats}` : slug);
  }
  return found;
}

/** The relative links of a markdown text, `[text](path#anchor)`, outside code, with their line numbers. */
function linksOf(markdown: string): { target: string; line: number }[] {
  return prose(markdown).flatMap((text, index) =>
    [...text.replace(/`[^`]*`/g, '').matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((match) => ({ target: match[1]!, line: index + 1 }))
      .filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target)), // not https:, mailto:…
  );
}

/** What is wrong with a link from `page`, or null. */
function broken(page: string, target: string): string | null {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
  if (file.startsWith('..')) return `${file} is outside the repository`;
  if (!existsSync(file)) return `${file} does not exist`;
  if (anchor === undefined || !file.endsWith('.md')) return null;
  return anchorsOf(readFileSync(file, 'utf8')).has(anchor) ? null : `${file} has no heading for #${anchor}`;
}

describe('the links between the README and docs/', () => {
  it('finds the pages and their links', () => {
    assert.ok(pages.includes('docs/security.md'), 'docs/ has its pages');
    assert.ok(linksOf(readFileSync('README.md', 'utf8')).filter(({ target }) => target.startsWith('docs/')).length >= 8, 'the README links to each docs/ page');
  });

  for (const page of pages) {
    it(`${page}: every relative link reaches a file and a heading`, () => {
      const problems = linksOf(readFileSync(page, 'utf8')).flatMap(({ target, line }) => {
        const problem = broken(page, target);
        return problem ? [`${page}:${line} (${target}): ${problem}`] : [];
      });
      assert.deepEqual(problems, []);
    });
  }

  it('spells anchors as GitHub does, and reads no heading or link in code', () => {
    const sample = [
      '# For viewer operators: `careconnect-launch/viewer`',
      '## Launch protocol (version 1)',
      '## Notes',
      '## Notes',
      '### Ça marche_bien',
      '```sh',
      '# a comment, not a heading: [not](a-link.md)',
      '```',
      'See `[code](nowhere.md)` and [this](#notes-1), [that](docs/x.md#y "title") and [the web](https://example.com).',
    ].join('\n');
    assert.deepEqual([...anchorsOf(sample)], ['for-viewer-operators-careconnect-launchviewer', 'launch-protocol-version-1', 'notes', 'notes-1', 'ça-marche_bien']);
    assert.deepEqual(linksOf(sample), [{ target: '#notes-1', line: 9 }, { target: 'docs/x.md#y', line: 9 }]);
  });
});
