// A Rollup plugin that moves the licences out of the minified file and into `<file>.LICENSE.txt`
// beside it, in full (as webpack's extractComments does): ours (MIT) and those of the bundled
// packages. The script-tag bundle saves its two Lit @license headers (78 B gzip), and the notices
// MIT and BSD-3-Clause ask for travel with the distribution, complete rather than abbreviated.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's own folder, wherever the build runs from. */
const OWN_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The folder holding the package.json of the package that `id` belongs to. */
function packageRoot(id) {
  let dir = dirname(id);
  while (!existsSync(join(dir, 'package.json'))) {
    if (dir === dirname(dir)) throw new Error(`no package.json above ${id}`);
    dir = dirname(dir);
  }
  return dir;
}

export function thirdPartyLicenses() {
  return {
    name: 'third-party-licenses',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const roots = new Set(Object.keys(chunk.modules).filter((id) => id.includes('/node_modules/')).map(packageRoot));
        if (roots.size === 0) continue;
        // This package first, then each bundled one.
        const notices = [OWN_ROOT, ...[...roots].sort()].map((root) => {
          const { name, version, license } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
          const text = readFileSync(join(root, 'LICENSE'), 'utf8').trim();
          return `${name}@${version} (${license})\n\n${text}\n`;
        });
        this.emitFile({
          type: 'asset',
          fileName: `${chunk.fileName}.LICENSE.txt`,
          source: `${chunk.fileName} is made of the following packages.\n\n${notices.join('\n')}`,
        });
      }
    },
  };
}
